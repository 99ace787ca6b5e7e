import CRPlanHost
import Foundation
import Glibc
import Testing

@Suite("ProcProcess and ProcFS")
struct ProcFSTests {
    @Test("stat parsing survives spaces and parentheses in the process name")
    func parseStat() throws {
        let text = "4242 (we ird) (name) S 17 4240 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615\n"
        let process = try ProcProcess.parse(stat: text)
        #expect(process == ProcProcess(pid: 4242, name: "we ird) (name", state: "S", parentPid: 17, startTime: 987_654, processGroup: 4240))
        #expect(!process.isDefunct)
        #expect(try ProcProcess.parse(stat: text.replacingOccurrences(of: ") S ", with: ") Z ")).isDefunct)
        #expect(throws: ProcError.self) { try ProcProcess.parse(stat: "garbage") }
        #expect(throws: ProcError.self) { try ProcProcess.parse(stat: "1 (x) S 0") }
    }

    @Test("command lines split at NUL without a trailing empty argument", arguments: [
        ([UInt8](), [String]()),
        (Array("/bin/sh\0-c\0echo hi\0".utf8), ["/bin/sh", "-c", "echo hi"]),
        (Array("a\0\0b\0".utf8), ["a", "", "b"]),
        (Array("no-nul".utf8), ["no-nul"]),
    ])
    func splitCommandLine(bytes: [UInt8], expected: [String]) {
        #expect(ProcFS.splitCommandLine(bytes) == expected)
    }

    @Test("the members of this test process's group include it, each with that group; a group nobody has is empty")
    func processesInGroup() throws {
        let proc = ProcFS()
        let group = getpgrp()
        let members = proc.processes(inGroup: group)
        #expect(members.contains { $0.pid == getpid() })
        #expect(members.allSatisfy { $0.processGroup == group && !$0.isDefunct })
        #expect(try proc.process(getpid())?.processGroup == group)
        #expect(proc.processes(inGroup: 0).isEmpty)
        #expect(proc.processes(inGroup: -1).isEmpty)
    }

    @Test("this test process is alive with its parent, command line and a stable start time")
    func selfProcess() throws {
        let proc = ProcFS()
        let pid = getpid()
        #expect(proc.isAlive(pid))
        let process = try #require(try proc.process(pid))
        #expect(process.parentPid == getppid())
        #expect(try proc.parentPid(pid) == getppid())
        let start = try #require(try proc.startTime(pid))
        #expect(proc.isAlive(pid, startedAt: start))
        #expect(!proc.isAlive(pid, startedAt: start + 1))
        let commandLine = try #require(try proc.commandLine(pid))
        #expect(commandLine.first?.isEmpty == false)
        #expect(proc.namespace(nil, "mnt")?.hasPrefix("mnt:[") == true)
    }

    @Test("a killed child is dead while a zombie and gone once reaped")
    func zombie() async throws {
        let proc = ProcFS()
        let pid = try spawnUnreaped(["/bin/sleep", "30"])
        var reaped = false
        defer { if !reaped { kill(pid, SIGKILL); reap(pid) } }
        #expect(proc.isAlive(pid))
        // Right after exec the kernel may still show an empty cmdline (the
        // vfork parent resumes before the new argument pages are set up).
        var commandLine = try proc.commandLine(pid)
        for _ in 0..<200 where commandLine == [] {
            try await Task.sleep(for: .milliseconds(5))
            commandLine = try proc.commandLine(pid)
        }
        #expect(commandLine == ["/bin/sleep", "30"])
        #expect(try proc.parentPid(pid) == getpid())
        kill(pid, SIGKILL)
        var state: Character?
        for _ in 0..<500 {
            state = try proc.process(pid)?.state
            if state == "Z" { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(state == "Z")
        #expect(!proc.isAlive(pid))
        reap(pid)
        reaped = true
        #expect(try proc.process(pid) == nil)
        #expect(try proc.commandLine(pid) == nil)
        #expect(!proc.isAlive(pid))
    }

    @Test("pids that cannot exist are not alive")
    func impossiblePids() throws {
        let proc = ProcFS()
        #expect(!proc.isAlive(0))
        #expect(!proc.isAlive(-1))
        #expect(try proc.process(Int32.max) == nil)
        #expect(!proc.isAlive(Int32.max))
    }
}
