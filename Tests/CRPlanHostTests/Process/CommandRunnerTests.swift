import CRPlanCore
import CRPlanHost
import Foundation
import SystemPackage
import Testing

@Suite("CommandRunner")
struct CommandRunnerTests {
    let runner = CommandRunner()

    @Test("stdout and stderr go to their log files and are captured; a failing exit is a result")
    func logsAndCapture() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let out = temp.appending("step.stdout"), err = temp.appending("step.stderr")
        let result = try await runner.run(HostCommand(
            argv: ["ls", "-d", temp.path, temp.appending("missing")],
            standardOutputLog: out, standardErrorLog: err))
        #expect(result.status == .exited(2))
        #expect(!result.succeeded && !result.timedOut)
        #expect(result.executablePath.hasSuffix("/ls"))
        #expect(result.standardOutput.text == temp.path + "\n")
        #expect(result.standardError.text.contains("missing"))
        #expect(try DurableFiles.readText(out) == temp.path + "\n")
        #expect(try DurableFiles.readText(err) == result.standardError.text)
        #expect(try DurableFiles.status(out)?.permissions == [.ownerRead, .ownerWrite])
        #expect(result.pid > 0)
    }

    @Test("a second run appends to the log but captures only its own output")
    func appendsToLogs() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let log = temp.appending("both.log")
        _ = try await runner.run(HostCommand(argv: ["echo", "first"], standardOutputLog: log, standardErrorLog: log))
        let second = try await runner.run(HostCommand(argv: ["echo", "second"], standardOutputLog: log, standardErrorLog: log))
        #expect(second.succeeded)
        #expect(second.standardOutput.text == "second\n")
        #expect(try DurableFiles.readText(log) == "first\nsecond\n")
    }

    @Test("head and tail capture keep the start or the end and say when they cut")
    func captureLimits() async throws {
        let result = try await runner.run(HostCommand(
            argv: ["seq", "1", "10000"], standardOutputCapture: .head(10), standardErrorCapture: .tail(10)))
        #expect(result.standardOutput.text == "1\n2\n3\n4\n5\n")
        #expect(result.standardOutput.isTruncated)
        #expect(result.standardOutput.totalBytes == 48_894)
        #expect(result.standardError.totalBytes == 0 && !result.standardError.isTruncated)
        let tail = try await runner.run(HostCommand(argv: ["seq", "1", "10000"], standardOutputCapture: .tail(6)))
        #expect(tail.standardOutput.text == "10000\n")
    }

    @Test("environment overrides set and unset variables; the working directory is used")
    func environmentAndDirectory() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        setenv("CRPLAN_TEST_INHERITED", "yes", 1)
        let result = try await runner.run(HostCommand(
            argv: ["env"], workingDirectory: temp.path,
            environment: ["CRPLAN_TEST_SET": "a b", "HOME": nil]))
        let lines = result.standardOutput.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("CRPLAN_TEST_SET=a b"))
        #expect(lines.contains("CRPLAN_TEST_INHERITED=yes"))
        #expect(!lines.contains { $0.hasPrefix("HOME=") })
        let pwd = try await runner.run(HostCommand(argv: ["pwd"], workingDirectory: temp.path))
        #expect(pwd.standardOutput.text == temp.path + "\n")
    }

    @Test("a bare name missing from PATH is a clear error; relative paths are refused")
    func lookupErrors() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let error = await #expect(throws: CommandError.self) {
            try await runner.run(HostCommand(argv: ["criu", "check"], environment: ["PATH": temp.path]))
        }
        #expect(error == .notFound(name: "criu", searchPath: temp.path))
        #expect(error?.description == "criu: not found in PATH (\(temp.path))")
        await #expect(throws: CommandError.relativeExecutable("./criu")) {
            try await runner.run(HostCommand(argv: ["./criu"]))
        }
        await #expect(throws: CommandError.emptyArgv) { try await runner.run(HostCommand(argv: [])) }
        #expect(try CommandRunner.resolveExecutable("sh", searchPath: "relative:/nonexistent:/bin") == "/bin/sh")
    }

    @Test("a program that cannot start is an error naming the argv")
    func spawnFailures() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let notExecutable = temp.appending("tool")
        try DurableFiles.writeAtomically("#!/bin/sh\n", to: notExecutable)
        let error = await #expect(throws: CommandError.self) {
            try await runner.run(HostCommand(argv: [notExecutable, "--flag"]))
        }
        #expect(error?.description.contains(notExecutable) == true)
        let missingDirectory = temp.appending("gone")
        let wd = await #expect(throws: CommandError.self) {
            try await runner.run(HostCommand(argv: ["true"], workingDirectory: missingDirectory))
        }
        guard case .spawnFailed(let argv, let reason) = wd else {
            Issue.record("expected spawnFailed, got \(String(describing: wd))")
            return
        }
        #expect(argv == ["true"])
        #expect(reason.contains(missingDirectory))
    }

    @Test("a log path that is a symbolic link is refused before anything runs")
    func symlinkLog() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let link = temp.appending("step.log")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: temp.appending("elsewhere"))
        await #expect(throws: CommandError.log(.symbolicLink(path: link))) {
            try await runner.run(HostCommand(argv: ["true"], standardOutputLog: link))
        }
        #expect(try DurableFiles.status(temp.appending("elsewhere")) == nil)
    }

    @Test("on timeout the child gets SIGTERM")
    func timeoutTerminates() async throws {
        let result = try await runner.run(HostCommand(argv: ["sleep", "300"], timeout: .milliseconds(200)))
        #expect(result.timedOut)
        #expect(result.status == .signalled(SIGTERM))
        // Far below the 300 s the child would sleep (a loose bound: the machine is shared).
        #expect(result.duration < .seconds(120))
        #expect(result.outcome == "timed out and was stopped (was killed by signal 15 (SIGTERM))")
        #expect(!ProcFS().isAlive(result.pid))
    }

    @Test("a child that ignores SIGTERM is killed after the grace period")
    func timeoutKills() async throws {
        let result = try await runner.run(HostCommand(
            argv: ["sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"],
            timeout: .milliseconds(200), terminationGrace: .milliseconds(300)))
        #expect(result.timedOut)
        #expect(result.status == .signalled(SIGKILL))
        #expect(result.duration >= .milliseconds(500))
    }

    @Test("a command that finishes in time is not marked timed out")
    func finishesInTime() async throws {
        let result = try await runner.run(HostCommand(argv: ["true"], timeout: .seconds(30)))
        #expect(result.succeeded)
        #expect(!result.timedOut)
    }

    @Test("a grandchild that keeps stdout open does not hold up the result")
    func grandchildKeepsOutputOpen() async throws {
        // The grandchild would live 10 minutes: the result comes back while it
        // still runs (no wall-clock bound, the machine may be loaded).
        let result = try await runner.run(HostCommand(argv: ["sh", "-c", "sleep 600 & echo $!"], timeout: .seconds(300)))
        #expect(result.succeeded && !result.timedOut)
        let grandchild = try #require(Int32(result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcFS().isAlive(grandchild))
        kill(grandchild, SIGKILL)
    }

    @Test("display lines quote what a shell would split")
    func displayLine() {
        #expect(HostCommand(argv: ["criu", "dump", "-t", "42", "--root", "/a b", "it's", ""]).displayLine
            == "criu dump -t 42 --root '/a b' 'it'\\''s' ''")
    }
}

/// Children run in their own process group and die with crplan.
@Suite("CommandRunner: process groups, parent death, spawn reports")
struct CommandRunnerChildrenTests {
    /// Pids a `sh` child printed, one per line.
    func pids(_ text: String) -> [Int32] {
        text.split(separator: "\n").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    @Test("on timeout the whole process group is stopped: a grandchild that ignores SIGTERM is killed too")
    func timeoutKillsTheGroup() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let out = temp.appending("out")
        // The grandchild ignores SIGTERM; the parent waits for it. Each shell
        // prints its pid and start time (/proc stat field 22): pids wrap at
        // 32768 here and a busy test run reuses them within seconds, so
        // "gone" means "no process with that pid and start time".
        let result = try await CommandRunner().run(HostCommand(
            argv: [
                "sh", "-c",
                "sh -c 'trap \"\" TERM; echo $$ $(cut -d\" \" -f22 /proc/$$/stat); while :; do sleep 0.05; done' & "
                    + "echo $$ $(cut -d\" \" -f22 /proc/$$/stat); wait",
            ],
            // two seconds for both shells to print (each runs `cut`) before the timeout, even on a loaded machine
            timeout: .seconds(2), terminationGrace: .milliseconds(300), standardOutputLog: out))
        #expect(result.timedOut)
        let printed: [(pid: Int32, start: UInt64)] = try DurableFiles.readText(out).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, let pid = Int32(fields[0]), let start = UInt64(fields[1]) else { return nil }
            return (pid, start)
        }
        try #require(printed.count == 2, "expected the two shells' pids and start times, got \(printed)")
        #expect(printed.contains { $0.pid == result.pid })
        let gone = await poll { printed.allSatisfy { !ProcFS().isAlive($0.pid, startedAt: $0.start) } }
        for process in printed where ProcFS().isAlive(process.pid, startedAt: process.start) { kill(process.pid, SIGKILL) }
        #expect(gone, "a process of the group outlived the timeout: \(printed)")
    }

    @Test("each child leads its own session and process group")
    func ownSession() async throws {
        let result = try await CommandRunner().run(HostCommand(
            argv: ["sh", "-c", "echo $$; ps -o pgid= -o sid= -p $$ 2>/dev/null || cut -d' ' -f5,6 /proc/$$/stat"]))
        let lines = result.standardOutput.text.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(result.standardOutput.text)")
        let ids = lines[1].split(separator: " ").compactMap { Int32($0) }
        #expect(ids == [result.pid, result.pid], "pgid and sid must be the child's pid: \(lines)")
        #expect(getpgrp() != result.pid)
    }

    @Test("onStart reports the child's pid and start time while it runs")
    func onStartReportsTheChild() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let release = temp.appending("release")
        let seen = Reported()
        // The child waits until the callback has looked at it.
        let result = try await CommandRunner().run(HostCommand(
            argv: ["sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.02; done", release], timeout: .seconds(60)
        )) { child in
            seen.set(child, alive: ProcFS().isAlive(child.pid), stat: try? ProcFS().startTime(child.pid))
            _ = FileManager.default.createFile(atPath: release, contents: nil)
        }
        #expect(result.succeeded)
        let reported = try #require(seen.value)
        #expect(reported.child.pid == result.pid)
        #expect(reported.alive, "reported while the child runs")
        #expect(reported.child.startTime != nil && reported.child.startTime == reported.stat)
    }

    @Test("a child outlives the task and threads that started it while crplan lives (parent-death signal is per thread)")
    func childSurvivesSpawningTask() async throws {
        try #require(CommandRunner.defaultDeathSignalWrapper != nil, "setpriv (util-linux) is needed")
        let seen = Reported()
        let running = Task.detached {
            // Long enough that only a death signal, never its own end, can stop it before the checks
            // (a 2 s sleep ended by itself on the loaded shared machine); killed below.
            try await CommandRunner().run(HostCommand(argv: ["sleep", "600"], timeout: .seconds(900))) { child in
                seen.set(child, alive: true, stat: nil)
            }
        }
        try #require(await poll { seen.value != nil })
        let pid = try #require(seen.value).child.pid
        // Churn the cooperative pool and create and end plain threads meanwhile.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<64 { group.addTask { try? await Task.sleep(for: .milliseconds(5)) } }
        }
        for _ in 0..<8 {
            let thread = Thread { usleep(1000) }
            thread.start()
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(ProcFS().isAlive(pid), "the child died while crplan lived")
        let status = (try? ProcFS().process(pid))??.name
        #expect(status == "sleep", "setpriv exec'ed the program in the same process")
        kill(pid, SIGKILL)
        let result = try await running.value
        #expect(result.status == .signalled(SIGKILL), "\(result.status)")
    }

    func poll(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<250 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}

/// What an `onStart` callback saw, for the test to read afterwards.
final class Reported: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (child: SpawnedProcess, alive: Bool, stat: UInt64?)?
    func set(_ child: SpawnedProcess, alive: Bool, stat: UInt64?) { lock.withLock { stored = (child, alive, stat) } }
    var value: (child: SpawnedProcess, alive: Bool, stat: UInt64?)? { lock.withLock { stored } }
}
