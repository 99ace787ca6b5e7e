import CRPlanImages

/// One fact about a run, as the journal keeps it. A run's state is
/// rebuilt from these alone (`RunState`), so each record says everything
/// about its transition; the journal line adds a sequence number and checksum.
public enum JournalRecord: Sendable, Hashable, Codable {
    case runStarted(RunStarted)
    case factsBound(FactsBound)
    case stepStarted(StepStarted)
    /// Written during a step, before a side effect a later probe must know about.
    case stepProgress(StepProgress)
    case stepSucceeded(StepSucceeded)
    case stepFailed(StepFailed)
    case runResumed(RunResumed)
    case rollbackStarted(RollbackStarted)
    case stepRolledBack(StepRolledBack)
    case rollbackFailed(RollbackFailed)
    case rollbackFinished(RollbackFinished)
    case runFinished(RunFinished)

    public struct RunStarted: Sendable, Hashable, Codable {
        public var runID: String
        public var planName: String
        /// `sha256:<hex>` of the canonical plan (`PlanDigest`).
        public var planDigest: String
        public var operation: Plan.Operation
        public var mode: Plan.Mode
        public var container: String
        /// The graph's steps in order, so `status` can list those not started yet.
        public var steps: [StepKind]
        public var crplanVersion: String
        public var at: Timestamp
        /// The compiled graph the run executes (its digest is `planDigest`), so
        /// `rollback` undoes what this run did even after the plan file changed.
        /// Absent in journals written before crplan kept it.
        public var graph: StepGraph? = nil
    }

    public struct FactsBound: Sendable, Hashable, Codable {
        public var facts: ContainerFacts
        /// `inspect` (the live container) or `checkpoint` (saved in the image dir).
        public var source: String
        public var at: Timestamp
    }

    public struct StepStarted: Sendable, Hashable, Codable {
        public var step: StepKind
        /// 1 for the first try; a resume that reruns a step starts attempt 2, ...
        public var attempt: Int
        public var at: Timestamp
    }

    public struct StepProgress: Sendable, Hashable, Codable {
        public var step: StepKind
        public var values: [String: String]
        public var at: Timestamp
    }

    public struct StepSucceeded: Sendable, Hashable, Codable {
        public var step: StepKind
        public var outputs: [String: String]
        public var durationMilliseconds: Int64
        /// True when a resume found the step done (probe) instead of running it.
        public var probed: Bool
        public var at: Timestamp
        /// The checkpoint measured after the step (`Step.paths.measuredImages`):
        /// CRIU's statistics and the image size. Absent in journals written
        /// before crplan measured, and for steps that measure nothing.
        public var measurements: CheckpointMeasurements?
    }

    public struct StepFailed: Sendable, Hashable, Codable {
        public var step: StepKind
        public var error: String
        public var durationMilliseconds: Int64
        /// The step failed, yet what it did must not be undone (e.g. a restored
        /// process may be alive): rollback leaves everything before it alone.
        public var irreversible: Bool
        public var at: Timestamp
    }

    public struct RunResumed: Sendable, Hashable, Codable {
        public var crplanVersion: String
        public var at: Timestamp
        /// Set when the operator forced the resume of a changed plan
        /// (`--force-changed-plan`): the digest of the plan it went on with.
        public var forcedPlanDigest: String?
    }

    public struct RollbackStarted: Sendable, Hashable, Codable {
        public var reason: String
        /// True for `crplan rollback`, false for the automatic rollback after a failed step.
        public var explicit: Bool
        public var at: Timestamp
    }

    public struct StepRolledBack: Sendable, Hashable, Codable {
        public var step: StepKind
        /// What was undone, e.g. `unmounted /var/lib/docker/overlay2/…/merged`.
        public var action: String
        public var at: Timestamp
    }

    public struct RollbackFailed: Sendable, Hashable, Codable {
        public var step: StepKind
        public var error: String
        /// What the operator must still do by hand.
        public var leftForOperator: String
        public var at: Timestamp
    }

    public struct RollbackFinished: Sendable, Hashable, Codable {
        /// Every undo action that was due succeeded.
        public var complete: Bool
        /// A point of no return was passed (images are the only copy, or the
        /// workload runs again): the way on is `crplan resume`, not undoing.
        public var rollForward: Bool
        public var notes: [String]
        public var at: Timestamp
    }

    public struct RunFinished: Sendable, Hashable, Codable {
        public var outcome: FinalOutcome
        public var notes: [String]
        public var at: Timestamp
    }

    /// How a finished run ended.
    public enum FinalOutcome: String, Sendable, Hashable, Codable {
        case succeeded
        /// Every completed step was undone (checkpoint images and logs kept).
        case rolledBack = "rolled-back"
        /// Given up: the operator rolled back a run past its point of no return.
        case failed
    }

    /// The `type` field of the record on its journal line.
    public var type: String {
        switch self {
        case .runStarted: "run-started"
        case .factsBound: "facts-bound"
        case .stepStarted: "step-started"
        case .stepProgress: "step-progress"
        case .stepSucceeded: "step-succeeded"
        case .stepFailed: "step-failed"
        case .runResumed: "run-resumed"
        case .rollbackStarted: "rollback-started"
        case .stepRolledBack: "step-rolled-back"
        case .rollbackFailed: "rollback-failed"
        case .rollbackFinished: "rollback-finished"
        case .runFinished: "run-finished"
        }
    }

    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .type)
        switch type {
        case "run-started": self = .runStarted(try RunStarted(from: decoder))
        case "facts-bound": self = .factsBound(try FactsBound(from: decoder))
        case "step-started": self = .stepStarted(try StepStarted(from: decoder))
        case "step-progress": self = .stepProgress(try StepProgress(from: decoder))
        case "step-succeeded": self = .stepSucceeded(try StepSucceeded(from: decoder))
        case "step-failed": self = .stepFailed(try StepFailed(from: decoder))
        case "run-resumed": self = .runResumed(try RunResumed(from: decoder))
        case "rollback-started": self = .rollbackStarted(try RollbackStarted(from: decoder))
        case "step-rolled-back": self = .stepRolledBack(try StepRolledBack(from: decoder))
        case "rollback-failed": self = .rollbackFailed(try RollbackFailed(from: decoder))
        case "rollback-finished": self = .rollbackFinished(try RollbackFinished(from: decoder))
        case "run-finished": self = .runFinished(try RunFinished(from: decoder))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown record type \(type)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .runStarted(let payload): try payload.encode(to: encoder)
        case .factsBound(let payload): try payload.encode(to: encoder)
        case .stepStarted(let payload): try payload.encode(to: encoder)
        case .stepProgress(let payload): try payload.encode(to: encoder)
        case .stepSucceeded(let payload): try payload.encode(to: encoder)
        case .stepFailed(let payload): try payload.encode(to: encoder)
        case .runResumed(let payload): try payload.encode(to: encoder)
        case .rollbackStarted(let payload): try payload.encode(to: encoder)
        case .stepRolledBack(let payload): try payload.encode(to: encoder)
        case .rollbackFailed(let payload): try payload.encode(to: encoder)
        case .rollbackFinished(let payload): try payload.encode(to: encoder)
        case .runFinished(let payload): try payload.encode(to: encoder)
        }
    }
}
