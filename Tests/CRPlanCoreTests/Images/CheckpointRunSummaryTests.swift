@testable import CRPlanCore
import CRPlanImages
import Testing

@Suite("CheckpointRunSummary: the end-of-apply numbers")
struct CheckpointRunSummaryTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_714_564_800_000)

    static func run(_ steps: [(StepKind, Int64)]) -> RunState {
        var records: [JournalRecord] = [
            .runStarted(.init(
                runID: "r1", planName: "p", planDigest: "sha256:0", operation: .roundtrip, mode: .external, container: "c",
                steps: steps.map(\.0), crplanVersion: "0.1.0", at: start))
        ]
        var clock: Int64 = 0
        for (step, duration) in steps {
            records.append(.stepStarted(.init(step: step, attempt: 1, at: start.adding(milliseconds: clock))))
            clock += duration
            records.append(.stepSucceeded(.init(
                step: step, outputs: [:], durationMilliseconds: duration, probed: false, at: start.adding(milliseconds: clock))))
        }
        return RunState(records: records)!
    }

    @Test("an external roundtrip: downtime is from the dump's start to the restore's end")
    func roundtrip() {
        let run = Self.run([(.inspect, 700), (.dump, 2_750), (.verifyDumpLog, 10), (.waitContainerExited, 250), (.rebuildRootfs, 590), (.restore, 1_380), (.writePidfile, 200)])
        var size = CheckpointImageSize()
        size.add(fileNamed: "pages-1.img", bytes: 139_264)
        size.add(fileNamed: "dump.log", bytes: 70_000)
        let statistics = CheckpointStatistics(dump: .init(
            freezingMicroseconds: 8_631, frozenMicroseconds: 1_598_669, memoryDumpMicroseconds: 8_624, memoryWriteMicroseconds: 361,
            pagesScanned: 48, pagesSkippedParent: 0, pagesWritten: 34, pagesLazy: 0))
        let summary = CheckpointRunSummary(run: run, measurements: CheckpointMeasurements(statistics: statistics, size: size))
        #expect(summary.totalMilliseconds == 5_880)
        // dump, verify-dump-log, wait-container-exited, rebuild-rootfs, restore.
        let downtime: Int64 = 2_750 + 10 + 250 + 590 + 1_380
        #expect(summary.downtimeMilliseconds == downtime)
        #expect(summary.line == "total 5.9 s, frozen 1598.7 ms, downtime 5.0 s, 34 pages written, images 136.0 KiB")
    }

    @Test("a checkpoint-only run has no downtime estimate; no measurements, only the total")
    func checkpointOnly() {
        let summary = CheckpointRunSummary(run: Self.run([(.inspect, 700), (.dump, 2_000)]), measurements: nil)
        #expect(summary.downtimeMilliseconds == nil)
        #expect(summary.line == "total 2.7 s")
    }

    @Test("measurements(of:) merges the dump's statistics with the restore's, the size from the last step")
    func mergedFromSteps() {
        var run = Self.run([(.inspect, 700), (.dump, 2_000), (.restore, 500)])
        let dump = CheckpointStatistics.Dump(
            freezingMicroseconds: 1, frozenMicroseconds: 250_000, memoryDumpMicroseconds: 1, memoryWriteMicroseconds: 1,
            pagesScanned: 40, pagesSkippedParent: 0, pagesWritten: 30, pagesLazy: 0)
        let restore = CheckpointStatistics.Restore(forkingMicroseconds: 1, restoreMicroseconds: 40_000, pagesCompared: 0, pagesSkippedCopyOnWrite: 0)
        run.steps[1].measurements = CheckpointMeasurements(statistics: .init(dump: dump), size: CheckpointImageSize(pagesBytes: 4_096, pagesFiles: 1))
        run.steps[2].measurements = CheckpointMeasurements(statistics: .init(restore: restore), size: CheckpointImageSize(pagesBytes: 8_192, pagesFiles: 1))
        let merged = CheckpointRunSummary.measurements(of: run)
        #expect(merged?.statistics == CheckpointStatistics(dump: dump, restore: restore))
        #expect(merged?.size?.pagesBytes == 8_192)
        let summary = CheckpointRunSummary(run: run)
        #expect(summary.frozenMicroseconds == 250_000)
        #expect(summary.pagesWritten == 30)
        #expect(summary.downtimeMilliseconds == 2_500)
        #expect(CheckpointRunSummary.measurements(of: Self.run([(.inspect, 1)])) == nil)
    }
}
