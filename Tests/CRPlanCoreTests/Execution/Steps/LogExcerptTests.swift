import Testing
@testable import CRPlanCore

@Suite struct LogExcerptTests {
    /// A failed restore.log as CRIU 4.1.1 writes it on these hosts: the rlimit
    /// line is logged by every run and must not be quoted as the cause.
    static let restoreLog = """
        (00.000010) Version: 4.1.1 (gitid 0)
        (00.000020) Error (criu/util.c:1533): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted
        (00.000030) Running on host
        (00.100000) mnt: Start with 0:/proc
        (00.200000) Error (criu/mount.c:2120): mnt: Can't mount at ./etc/hosts: No such file or directory
        (00.300000) Error (criu/cr-restore.c:2597): Restoring FAILED.
        """

    @Test func quotesTheRealErrorsWithContextButNotTheHarmlessOnes() {
        let excerpt = LogExcerpt.errors(in: Self.restoreLog, context: 1)
        #expect(!excerpt.contains("RLIMIT_NOFILE"))
        #expect(excerpt.contains("5: (00.200000) Error (criu/mount.c:2120): mnt: Can't mount at ./etc/hosts"))
        #expect(excerpt.contains("6: (00.300000) Error (criu/cr-restore.c:2597): Restoring FAILED."))
        #expect(excerpt.contains("4: (00.100000) mnt: Start with 0:/proc"))
    }

    @Test func aLogWithOnlyHarmlessErrorsShowsItsEnd() {
        let text = "(00.1) Error (criu/util.c:1533): rlimit: Can't setup RLIMIT_NOFILE for self\n(00.2) Dumping FAILED."
        let described = LogExcerpt.describe("the dump failed", logPath: "/img/dump.log", text: text)
        #expect(described.contains("shows no `Error (` line"))
        #expect(described.contains("Dumping FAILED."))
    }
}
