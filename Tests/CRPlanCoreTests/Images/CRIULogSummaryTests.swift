@testable import CRPlanCore
import Testing

@Suite("CRIULogSummary: the header and outcome of a CRIU log")
struct CRIULogSummaryTests {
    /// The first and last lines of a real CRIU 4.1.1 dump.log on the e2e host.
    static let dumpLog = """
        (00.000000) CRIU run id = c6f17372-fae3-45b4-a7c8-cb4f76553c37
        (00.000264) Version: 4.1.1 (gitid 0)
        (00.000274) Running on vm Linux 6.18.44-fc-v782 #1 SMP PREEMPT_DYNAMIC @0 x86_64
        (00.000291) File /run/criu.kdat does not exist
        (00.469174) Dumping processes (pid: 7964 comm: sh)
        (02.068541) \tUnseizing 8074 into 2
        (02.077649) Writing stats
        (02.077811) Dumping finished successfully

        """

    @Test("reads run id, version, kernel, the dumped process and success")
    func header() {
        let summary = CRIULogSummary(file: "dump.log", text: Self.dumpLog)
        #expect(summary.runID == "c6f17372-fae3-45b4-a7c8-cb4f76553c37")
        #expect(summary.version == "4.1.1")
        #expect(summary.gitID == nil)
        #expect(summary.kernel == "Linux 6.18.44-fc-v782 #1 SMP PREEMPT_DYNAMIC @0 x86_64")
        #expect(summary.dumpedProcess == "pid: 7964 comm: sh")
        #expect(summary.configuration.isEmpty)
        #expect(summary.finishedSuccessfully)
        #expect(summary.elapsedSeconds == 2.077811)
    }

    @Test("a restore log finishes with `Restore finished successfully` before its last line")
    func restore() {
        let text = """
            (00.000109) Version: 4.1.1 (gitid 0)
            (01.134052) Restore finished successfully. Tasks resumed.
            (01.134055) Writing stats
            (01.134291) Running post-resume scripts
            """
        let summary = CRIULogSummary(file: "restore.log", text: text)
        #expect(summary.finishedSuccessfully)
        #expect(summary.elapsedSeconds == 1.134291)
    }

    @Test("a log that ends in an error is not a success; a git id and a config file are kept")
    func failed() {
        let text = """
            (00.000000) Version: 4.1 (gitid v4.1-3-gabcdef)
            (00.000100) Parsing config file /etc/criu/default.conf
            (00.010000) Error (criu/cr-dump.c:2093): Dumping FAILED.
            """
        let summary = CRIULogSummary(file: "dump.log", text: text)
        #expect(summary.gitID == "v4.1-3-gabcdef")
        #expect(summary.configuration == ["Parsing config file /etc/criu/default.conf"])
        #expect(!summary.finishedSuccessfully)
        #expect(summary.elapsedSeconds == 0.01)
    }

    @Test("garbage gives an empty summary, not a crash")
    func garbage() {
        let summary = CRIULogSummary(file: "dump.log", text: "(((\n)\n(abc) Version:\n\u{0}\u{1}\n(")
        #expect(summary.version == nil)
        #expect(!summary.finishedSuccessfully)
        #expect(summary.elapsedSeconds == nil)
    }
}
