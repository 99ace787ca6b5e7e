import CRPlanCore
import CRPlanHost
import Glibc
import Testing

/// `processes(inGroup:)` and `killProcessGroup` on the real `/proc`: what a
/// resume sees of, and does to, a group whose leader is gone.
@Suite("SystemHost: a process group whose leader is gone")
struct SystemHostProcessGroupTests {
    /// `/usr/bin/sleep 600` in process group `group` (0: its own, led by it).
    static func spawnSleep(group: pid_t) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, group)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        let words: [String] = ["/usr/bin/sleep", "600"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { word in strdup(word) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/sleep", nil, &attributes, argv, environ)
        try #require(rc == 0, "posix_spawn: \(rc)")
        return pid
    }

    @Test("a stopped member outlives its leader: listed as stopped with its start time, and the group kill takes it")
    func stoppedLeftoverIsListedAndKilled() async throws {
        let leader = try Self.spawnSleep(group: 0)
        let member = try Self.spawnSleep(group: leader)
        var status: Int32 = 0
        defer { kill(member, SIGKILL); _ = waitpid(member, &status, 0) }
        // Stop the member (waitpid returns once it is stopped), then the leader dies and is reaped.
        kill(member, SIGSTOP)
        #expect(waitpid(member, &status, WUNTRACED) == member && (status & 0xff) == 0x7f)
        kill(leader, SIGKILL)
        _ = waitpid(leader, &status, 0)

        let host = SystemHost()
        let left = await host.processes(inGroup: Int(leader))
        #expect(left.map(\.pid) == [Int(member)])
        let process = try #require(left.first)
        #expect(process.isStopped && process.state == "T" && process.processGroupID == Int(leader))
        let again = await host.process(Int(member))
        #expect(process.startTime != nil && process.startTime == again?.startTime)
        #expect(process.commandLine == ["/usr/bin/sleep", "600"])

        try await host.killProcessGroup(Int(leader))
        #expect(waitpid(member, &status, 0) == member)
        #expect((status & 0x7f) == SIGKILL, "wait status \(status)")
        let gone = await host.processes(inGroup: Int(leader))
        #expect(gone.isEmpty)
        // Nobody left: not an error.
        try await host.killProcessGroup(Int(leader))
    }

    @Test("group ids crplan must never signal are refused")
    func refusesGroupsZeroAndOne() async {
        let host = SystemHost()
        for group in [0, 1, -5] {
            await #expect(throws: HostError.self) { try await host.killProcessGroup(group) }
            let members = await host.processes(inGroup: group)
            #expect(members.isEmpty)
        }
    }
}
