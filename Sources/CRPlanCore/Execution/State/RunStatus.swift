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
    /// Set when a line other than the last is damaged (`line N: reason`):
    /// `run` is then what the lines before it say, and apply, resume and
    /// rollback refuse to touch the run.
    public var corruption: String?
}

/// `crplan status` of every plan: the runs that could be read (a corrupt
/// journal's readable lines included, with `corruption` set) and the plans
/// whose journal could not be read at all, each with why.
public struct AllPlansStatus: Sendable, Hashable {
    /// A plan whose status could not be read.
    public struct Failure: Sendable, Hashable {
        public var planName: String
        public var error: ExecutorError
    }

    public var statuses: [RunStatus]
    public var failures: [Failure]

    /// The plans whose journal is damaged or unreadable, with the reason.
    public var problems: [(planName: String, reason: String)] {
        var result: [(planName: String, reason: String)] = []
        for status in statuses {
            if let corruption = status.corruption {
                result.append((status.planName, "\(status.journalPath): journal is corrupt at \(corruption)"))
            }
        }
        for failure in failures {
            result.append((failure.planName, failure.error.description))
        }
        return result
    }
}
