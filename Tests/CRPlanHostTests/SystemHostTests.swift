import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import SystemPackage
import Testing

@Suite("SystemHost")
struct SystemHostTests {
    let host = SystemHost()

    @Test("file operations through the Host protocol, with the executor's error contract")
    func files() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let run = temp.appending("runs/web")
        try await host.makeDirectory(at: run, mode: 0o700)
        try await host.makeDirectory(at: run, mode: 0o700)
        #expect(try await host.fileType(at: run) == .directory)
        #expect(try DurableFiles.status(run)?.permissions.rawValue == 0o700)

        let journal = run + "/journal.jsonl"
        try await host.appendDurably(to: journal, contents: bytes("{\"a\":1}\n{\"b\""))
        try await host.truncateFile(at: journal, toLength: 8)
        #expect(try await host.readText(at: journal) == "{\"a\":1}\n")
        #expect(try await host.fileExists(journal))

        let pidfile = run + "/restore.pid"
        try await host.writeFileAtomically(at: pidfile, contents: bytes("42\n"), mode: 0o644)
        #expect(try DurableFiles.status(pidfile)?.permissions.rawValue == 0o644)
        #expect(try await host.listDirectory(at: run) == ["journal.jsonl", "restore.pid"])

        await #expect(throws: HostError.io(operation: "rename", path: journal, message: "file exists")) {
            try await host.move(from: pidfile, to: journal)
        }
        try await host.move(from: pidfile, to: run + "/restore.pid.stale")
        try await host.removeFile(at: run + "/restore.pid.stale")
        await #expect(throws: HostError.notFound(path: run + "/restore.pid.stale")) {
            try await host.removeFile(at: run + "/restore.pid.stale")
        }
        await #expect(throws: HostError.notFound(path: run + "/missing")) { try await host.readFile(at: run + "/missing") }
        await #expect(throws: HostError.notFound(path: temp.appending("nowhere"))) {
            try await host.writeFileAtomically(at: temp.appending("nowhere/file"), contents: [], mode: 0o600)
        }
        #expect(try await host.fileType(at: run + "/missing") == nil)

        let link = temp.appending("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: journal)
        #expect(try await host.fileType(at: link) == .symbolicLink)
        await #expect(throws: HostError.symbolicLink(path: link)) { try await host.readFile(at: link) }
        await #expect(throws: HostError.symbolicLink(path: link)) { try await host.appendDurably(to: link, contents: [1]) }
        await #expect(throws: HostError.symbolicLink(path: link)) { try await host.makeDirectory(at: link, mode: 0o700) }
    }

    @Test("run maps statuses: exit codes, timeouts, programs that cannot start")
    func run() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let ok = try await host.run(CommandInvocation(
            argv: ["echo", "hello"], timeout: .seconds(10),
            standardOutputLog: temp.appending("o.log"), standardErrorLog: temp.appending("e.log")))
        #expect(ok.status == .exited(0))
        #expect(ok.standardOutput == "hello\n")
        #expect(try DurableFiles.readText(temp.appending("o.log")) == "hello\n")
        let failed = try await host.run(CommandInvocation(argv: ["false"], timeout: .seconds(10)))
        #expect(failed.status == .exited(1))
        let slow = try await host.run(CommandInvocation(argv: ["sleep", "30"], timeout: .milliseconds(100)))
        #expect(slow.status == .timedOut)
        let missing = await #expect(throws: HostError.self) {
            try await host.run(CommandInvocation(argv: ["crplan-no-such-program"], timeout: .seconds(10)))
        }
        guard case .launchFailed(let program, let message) = missing else {
            Issue.record("expected launchFailed, got \(String(describing: missing))")
            return
        }
        #expect(program == "crplan-no-such-program")
        #expect(message.hasPrefix("crplan-no-such-program: not found in PATH"))
    }

    @Test("locks: a second lock names the holder's pid; release frees it")
    func locks() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("web.lock")
        let lock = try await host.lock(path)
        #expect(lock.path == path)
        await #expect(throws: HostError.locked(path: path, holderPID: Int(getpid()))) { try await host.lock(path) }
        await lock.release()
        let again = try await host.lock(path)
        await again.release()
    }

    @Test("processes: this one is alive with its command line; a zombie is not")
    func processes() async throws {
        let me = try #require(await host.process(Int(getpid())))
        #expect(me.parentPID == Int(getppid()))
        #expect(!me.commandLine.isEmpty)
        let child = try spawnUnreaped(["/bin/true"])
        for _ in 0..<400 where (try? ProcFS().process(child))?.state != "Z" {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(await host.process(Int(child)) == nil)
        reap(child)
        #expect(await host.process(Int(Int32.max)) == nil)
        #expect(await host.process(-5) == nil)
    }

    @Test("mount table, clock, environment")
    func mountsClockEnvironment() async throws {
        let table = try await host.mountTable()
        #expect(table.contains { $0.mountPoint == "/" })
        #expect(try await host.isMountPoint("/"))
        let now = await host.now()
        let expected = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(abs(now.millisecondsSinceEpoch - expected) < 5000)
        #expect(host.environment["PATH"] == ProcessInfo.processInfo.environment["PATH"])
        await #expect(throws: HostError.io(operation: "unmount", path: "/nonexistent-crplan", message: "No such file or directory")) {
            try await host.unmount("/nonexistent-crplan")
        }
    }

    @Test("containerFacts decodes the inspect command's output and maps Docker's answers", .tags(.e2e), .enabled(if: E2E.enabled, E2E.skipReason))
    func inspect() async throws {
        let daemon = try await E2E.daemon()
        let name = E2E.uniqueName("host")
        await #expect(throws: HostError.containerNotFound(reference: name)) {
            try await daemon.facts(name)
        }
        try await daemon.withContainers { track in
            let id = track(try await daemon.startContainer(name))
            let facts = try await daemon.facts(name)
            #expect(facts.id == id && facts.name == name && facts.running)
            if E2E.isRoot { #expect(!facts.cgroupMounts.isEmpty) }
            await #expect(throws: HostError.docker(message: ContainerFactsError.dockerHomeMismatch(
                configured: "/var/lib/elsewhere", reported: daemon.home).description)) {
                try await daemon.facts(name, dockerHome: "/var/lib/elsewhere")
            }
        }
    }

    @Test("containerFacts refuses output the host cut")
    func truncated() async throws {
        let result = CommandResult(status: .exited(0), standardOutput: "[{", standardOutputTruncated: true)
        await #expect(throws: HostError.self) {
            try await SystemHost().containerFacts(fromInspect: result, reference: "web", dockerHome: "/var/lib/docker")
        }
    }
}
