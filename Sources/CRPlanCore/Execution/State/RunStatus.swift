/// What `crplan status` shows for one plan: the latest run as its journal
/// says, where the journal is, and the earlier runs kept in history.
/// Codable for `--format json`.
public struct RunStatus: Sendable, Hashable, Codable {
    public var planName: String
    public var journalPath: String
    public var run: RunState
    /// Set when the last journal line was torn (a crash mid-write) and ignored.
    public var tornLastLine: String?
    /// Run ids of archived finished runs, oldest first.
    public var history: [String]
    /// Total time, frozen time, downtime, pages written and image size, from
    /// the run's timings and what its steps measured (`CheckpointRunSummary`).
    public var summary: CheckpointRunSummary?
}
