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
    /// How long the workload did not run, estimated: the frozen time plus
    /// the time from the end of the dump (or checkpoint-create) to the end
    /// of the restore (or start-from-checkpoint). Nil for a checkpoint-only run.
    public var downtimeMilliseconds: Int64?
    public var pagesWritten: Int?
    /// The images without logs.
    public var imageBytes: Int?

    public init(run: RunState, measurements: CheckpointMeasurements?) {
        let ends = run.steps.compactMap(\.finishedAt)
        totalMilliseconds = ends.max().map { $0.milliseconds(since: run.startedAt) }
        let dump = measurements?.statistics?.dump
        frozenMicroseconds = dump?.frozenMicroseconds
        pagesWritten = dump?.pagesWritten
        imageBytes = measurements?.size.map { $0.totalBytes - $0.logBytes }
        let stopped = run[.dump]?.finishedAt ?? run[.checkpointCreate]?.finishedAt
        let resumed = run[.restore]?.finishedAt ?? run[.startFromCheckpoint]?.finishedAt
        if let stopped, let resumed, resumed >= stopped {
            downtimeMilliseconds = resumed.milliseconds(since: stopped) + Int64((dump?.frozenMicroseconds ?? 0) / 1000)
        }
    }

    /// `total 6.1 s, frozen 1598.7 ms, downtime ≈ 5.2 s, 34 pages written, images 170.8 KiB`.
    public var line: String {
        var parts: [String] = []
        if let totalMilliseconds { parts.append("total \(Self.seconds(totalMilliseconds))") }
        if let frozenMicroseconds { parts.append("frozen \(CheckpointStatistics.milliseconds(frozenMicroseconds))") }
        if let downtimeMilliseconds { parts.append("downtime ≈ \(Self.seconds(downtimeMilliseconds))") }
        if let pagesWritten { parts.append("\(pagesWritten) pages written") }
        if let imageBytes { parts.append("images \(CheckpointImageSize.bytes(imageBytes))") }
        return parts.joined(separator: ", ")
    }

    static func seconds(_ milliseconds: Int64) -> String {
        let tenths = (milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
