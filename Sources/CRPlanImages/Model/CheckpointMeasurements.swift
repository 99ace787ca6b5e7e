/// What a run records about a checkpoint after a dump or restore step: CRIU's
/// statistics and the image size by kind, plus why either is missing.
/// `Codable` for the journal and `--events json`.
public struct CheckpointMeasurements: Sendable, Hashable, Codable {
    public var statistics: CheckpointStatistics?
    public var size: CheckpointImageSize?
    /// Why statistics or size could not be read (never fatal for the run).
    public var problems: [String]

    public init(statistics: CheckpointStatistics? = nil, size: CheckpointImageSize? = nil, problems: [String] = []) {
        self.statistics = statistics
        self.size = size
        self.problems = problems
    }

    /// `frozen 182.4 ms, 36 pages written, images 184.8 KiB (pages 144.0 KiB); restore 41.2 ms`:
    /// the end-of-apply line.
    public var summary: String {
        var parts: [String] = []
        if let dump = statistics?.dump {
            parts.append("frozen \(CheckpointStatistics.milliseconds(dump.frozenMicroseconds)), \(dump.pagesWritten) pages written")
        }
        if let size {
            parts.append("images \(CheckpointImageSize.bytes(size.totalBytes - size.logBytes)) (pages \(CheckpointImageSize.bytes(size.pagesBytes)))")
        }
        if let restore = statistics?.restore {
            parts.append("restore \(CheckpointStatistics.milliseconds(restore.restoreMicroseconds))")
        }
        return parts.isEmpty ? "no CRIU statistics" : parts.joined(separator: ", ")
    }
}
