import CRPlanImages

/// The numbers `crplan apply` sums up at the end of a run: total time,
/// how long CRIU kept the tasks frozen, an estimate of the workload's
/// downtime, pages written and the image size. Built from the run's state
/// and the measurements journaled after its dump (or checkpoint-create).
public struct CheckpointRunSummary: Sendable, Hashable, Codable {
    /// From the run's start to its last finished step.
    public var totalMilliseconds: Int64?
    /// CRIU's `frozen_time`: from freezing the tasks until the dump let them go.
    public var frozenMicroseconds: Int?
    /// How long the workload did not run: from the start of the dump (or
    /// checkpoint-create) to the end of the restore (or start-from-checkpoint).
    /// Nil for a checkpoint-only run.
    public var downtimeMilliseconds: Int64?
    public var pagesWritten: Int?
    /// The images without logs.
    public var imageBytes: Int?

    /// The summary of a run with the measurements its steps journaled (`measurements(of:)`).
    public init(run: RunState) {
        self.init(run: run, measurements: Self.measurements(of: run))
    }

    /// What the run's steps measured, latest first: the dump statistics of
    /// the last step that has them, likewise the restore statistics and the
    /// size. Nil when no step measured anything.
    public static func measurements(of run: RunState) -> CheckpointMeasurements? {
        let measured = run.steps.compactMap(\.measurements)
        guard !measured.isEmpty else { return nil }
        var merged = CheckpointMeasurements()
        let dump = measured.last { $0.statistics?.dump != nil }?.statistics?.dump
        let restore = measured.last { $0.statistics?.restore != nil }?.statistics?.restore
        if dump != nil || restore != nil { merged.statistics = CheckpointStatistics(dump: dump, restore: restore) }
        merged.size = measured.last { $0.size != nil }?.size
        return merged
    }

    public init(run: RunState, measurements: CheckpointMeasurements?) {
        let ends = run.steps.compactMap(\.finishedAt)
        totalMilliseconds = ends.max().map { $0.milliseconds(since: run.startedAt) }
        let dump = measurements?.statistics?.dump
        frozenMicroseconds = dump?.frozenMicroseconds
        pagesWritten = dump?.pagesWritten
        imageBytes = measurements?.size.map { $0.totalBytes - $0.logBytes }
        let stopped = run[.dump]?.startedAt ?? run[.checkpointCreate]?.startedAt
        let resumed = run[.restore]?.finishedAt ?? run[.startFromCheckpoint]?.finishedAt
        if let stopped, let resumed, resumed >= stopped {
            downtimeMilliseconds = resumed.milliseconds(since: stopped)
        }
    }

    /// `total 6.1 s, frozen 1598.7 ms, downtime 5.2 s, 34 pages written, images 170.8 KiB`.
    public var line: String {
        var parts: [String] = []
        if let totalMilliseconds { parts.append("total \(Self.seconds(totalMilliseconds))") }
        if let frozenMicroseconds { parts.append("frozen \(CheckpointStatistics.milliseconds(frozenMicroseconds))") }
        if let downtimeMilliseconds { parts.append("downtime \(Self.seconds(downtimeMilliseconds))") }
        if let pagesWritten { parts.append("\(pagesWritten) pages written") }
        if let imageBytes { parts.append("images \(CheckpointImageSize.bytes(imageBytes))") }
        return parts.joined(separator: ", ")
    }

    static func seconds(_ milliseconds: Int64) -> String {
        let tenths = (milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
