import Foundation
import Testing
@testable import CRPlanCore

/// `RemoteHost` runs each argv on the other machine through the local host
/// as the ssh argv `SSHTarget.argv(running:)` builds, makes the control
/// folder first, keeps locks, processes and the clock local, and refuses
/// every file, mount and facts operation on the remote side.
@Suite struct RemoteHostTests {
    static let target: SSHTarget = {
        do {
            return try SSHTarget(
                destination: "root@127.0.0.1", port: 2222, identityFile: "/var/lib/crplan-e2e/ssh/id_ed25519",
                knownHostsFile: "/var/lib/crplan-e2e/ssh/known_hosts",
                multiplexing: SSHMultiplexing(controlDirectory: "/run/crplan/ssh", persistSeconds: 30))
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    static func world() -> FakeWorld {
        var world = FakeWorld()
        world.handlers.append(FakeWorld.CommandHandler(
            name: "ssh", matches: { $0.first == "ssh" }, respond: { _, _ in CommandResult(status: .exited(0), standardOutput: "ok\n") }))
        return world
    }

    /// Arguments a shell would split, expand, glob or run, each passed as one argument.
    static let hostile = [
        "a b", "it's", "'", "''", "$(id)", "`id`", "${HOME}", "; rm -rf /", "a\nb", "*", "~root", "-rf", "--", "\\", "\"", "!", "",
        "é ünï", "#comment", "&&", "|", ">/etc/passwd", "\t",
    ]

    @Test func runsEachCommandAsTheSSHArgvOfTheSameBuilder() async throws {
        let local = FakeHost(Self.world())
        let remote = RemoteHost(base: local, target: Self.target)
        let argv = ["docker", "-H", "unix:///run/crplan-e2e/vfs.sock", "start", "--checkpoint", "m-1", "--", "counter"]
        let result = try await remote.run(CommandInvocation(argv: argv, timeout: .seconds(5)))
        #expect(result.standardOutput == "ok\n")
        let expected = try Self.target.argv(running: argv)
        #expect(remote.commandLine(for: argv) == expected)
        #expect(expected.suffix(3) == [
            "--", "root@127.0.0.1", "'docker' '-H' 'unix:///run/crplan-e2e/vfs.sock' 'start' '--checkpoint' 'm-1' '--' 'counter'",
        ])
        #expect(expected.prefix(8) == ["ssh", "-F", "none", "-T", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"])
        let calls = await local.world.calls
        // The control folder first (0700), then the one ssh process.
        #expect(calls == [.makeDirectory("/run/crplan/ssh", 0o700), .run(expected)])
    }

    @Test func anArgvThatIsAlreadyTheSSHCommandLineRunsOnceNotTwice() async throws {
        let local = FakeHost(Self.world())
        let remote = RemoteHost(base: local, target: Self.target)
        let wrapped = remote.commandLine(for: ["docker", "load"])
        #expect(remote.isCommandLine(wrapped))
        #expect(!remote.isCommandLine(["docker", "load"]))
        #expect(!remote.isCommandLine(Array(wrapped.dropLast()) + ["x", "y"]))
        _ = try await remote.run(CommandInvocation(argv: wrapped, timeout: .seconds(5)))
        #expect(await local.world.calls.last == .run(wrapped))
    }

    @Test func hostileArgumentsStayOneArgumentEachInTheRemoteLine() throws {
        let remote = RemoteHost(base: FakeHost(Self.world()), target: Self.target)
        let line = try #require(remote.commandLine(for: ["printf", "%s\\n"] + Self.hostile).last)
        #expect(Self.splitPOSIX(line) == ["printf", "%s\\n"] + Self.hostile)
        // No character outside a quoted span: nothing for the remote shell to interpret.
        #expect(line.hasPrefix("'") && line.hasSuffix("'"))
    }

    @Test func refusesWhatCannotCrossAndWhatIsNotACommand() async throws {
        let local = FakeHost(Self.world())
        let remote = RemoteHost(base: local, target: Self.target)
        #expect(throws: HostError.self) { try remote.remoteArgv(for: ["printf", "a\u{0}b"]) }
        #expect(throws: HostError.self) { try remote.remoteArgv(for: []) }
        #expect(throws: HostError.self) { try remote.remoteArgv(for: ["x", String(repeating: "y", count: 100_001)]) }
        // Printed and piped, such an argv is `false` with the reason: it runs nothing anywhere.
        let refused = remote.commandLine(for: ["printf", "a\u{0}b"])
        #expect(refused.first == "false" && refused.count == 2 && refused[1].contains("NUL"))
        await #expect(throws: HostError.self) {
            try await remote.run(CommandInvocation(argv: ["printf", "a\u{0}b"], timeout: .seconds(5)))
        }
        await #expect(throws: HostError.self) {
            try await remote.run(CommandInvocation(argv: ["criu", "restore"], timeout: .seconds(5), workingDirectory: "/var/lib/img"))
        }
        await #expect(throws: HostError.self) { try await remote.readFile(at: "/etc/hostname") }
        await #expect(throws: HostError.self) { try await remote.makeDirectory(at: "/srv/staging", mode: 0o700) }
        await #expect(throws: HostError.self) { try await remote.writeFileAtomically(at: "/srv/x", contents: [], mode: 0o600) }
        await #expect(throws: HostError.self) { try await remote.listDirectory(at: "/srv") }
        await #expect(throws: HostError.self) { try await remote.mountTable() }
        await #expect(throws: HostError.self) { try await remote.fileSize(at: "/srv/x") }
        await #expect(throws: HostError.self) {
            try await remote.containerFacts(fromInspect: CommandResult(status: .exited(0), standardOutput: "[]"), reference: "c", dockerHome: "/var/lib/docker")
        }
        // Nothing ran, nothing was made: every refusal came before a side effect.
        #expect(await local.world.calls == [])
    }

    @Test func locksProcessesAndTheClockAreTheLocalHosts() async throws {
        var world = Self.world()
        world.processes[4242] = RunningProcess(pid: 4242, parentPID: 1, commandLine: ["ssh"], startTime: 7)
        let local = FakeHost(world)
        let remote = RemoteHost(base: local, target: Self.target)
        #expect(await remote.process(4242)?.commandLine == ["ssh"])
        let lock = try await remote.lock("/var/lib/crplan/runs/x/lock")
        await lock.release()
        #expect(await remote.now() == local.now())
        #expect(await local.world.calls.first == .lock("/var/lib/crplan/runs/x/lock"))
    }

    @Test func aPlanWithTargetSSHGetsARemoteTargetHost() throws {
        let local = FakeHost(Self.world())
        let withSSH = StepGraph(
            planName: "p", operation: .migrate, mode: .native, container: try #require(ContainerReference("counter")),
            storageDriver: .auto, steps: [], targetSSH: Self.target)
        let remote = try #require(withSSH.targetHost(over: local) as? RemoteHost)
        #expect(remote.target == Self.target)
        var local2 = withSSH
        local2.targetSSH = nil
        #expect(local2.targetHost(over: local) is FakeHost)
    }

    /// Splits a line the way a POSIX shell splits single-quoted words and
    /// `\'` (all `RemoteShellQuoting` emits); anything else fails the test.
    static func splitPOSIX(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = line.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            switch scalar {
            case "'":
                inWord = true
                while let inner = iterator.next() {
                    if inner == "'" { break }
                    current.unicodeScalars.append(inner)
                }
            case "\\":
                guard let next = iterator.next() else { return nil }
                current.unicodeScalars.append(next)
                inWord = true
            case " ":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                return nil
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
