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
        let result = try await runner.run(HostCommand(argv: ["sleep", "30"], timeout: .milliseconds(200)))
        #expect(result.timedOut)
        #expect(result.status == .signalled(SIGTERM))
        #expect(result.duration < .seconds(5))
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
        #expect(result.duration < .seconds(5))
    }

    @Test("a command that finishes in time is not marked timed out")
    func finishesInTime() async throws {
        let result = try await runner.run(HostCommand(argv: ["true"], timeout: .seconds(30)))
        #expect(result.succeeded)
        #expect(result.duration < .seconds(5))
    }

    @Test("a grandchild that keeps stdout open does not hold up the result")
    func grandchildKeepsOutputOpen() async throws {
        let result = try await runner.run(HostCommand(argv: ["sh", "-c", "sleep 3 & echo started"], timeout: .seconds(10)))
        #expect(result.succeeded)
        #expect(result.standardOutput.text == "started\n")
        #expect(result.duration < .seconds(2))
    }

    @Test("display lines quote what a shell would split")
    func displayLine() {
        #expect(HostCommand(argv: ["criu", "dump", "-t", "42", "--root", "/a b", "it's", ""]).displayLine
            == "criu dump -t 42 --root '/a b' 'it'\\''s' ''")
    }
}
