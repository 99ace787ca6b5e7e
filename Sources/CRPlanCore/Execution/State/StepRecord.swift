import CRPlanImages

/// Where one step of a run stands, as its journal records say.
public enum StepState: String, Sendable, Hashable, Codable {
    case pending
    /// Started and not finished: crplan stopped (or is running it now).
    case running
    case succeeded
    case failed
    case rolledBack = "rolled-back"
    /// Undoing it failed; `leftForOperator` says what is left to do by hand.
    case rollbackFailed = "rollback-failed"
}

/// One step's journaled history within a run: its state, timings and
/// outputs, as `crplan status` shows them and `resume` decides from them.
public struct StepRecord: Sendable, Hashable, Codable {
    public var step: StepKind
    public var state: StepState
    /// How many times it was started (a resume that reruns it adds one).
    public var attempts: Int
    public var startedAt: Timestamp?
    public var finishedAt: Timestamp?
    public var durationMilliseconds: Int64?
    /// Outputs of the last attempt: progress values, then the success outputs.
    public var outputs: [String: String]
    public var error: String?
    /// The step failed but what it did must not be undone.
    public var irreversibleFailure: Bool
    /// A resume found it done instead of running it again.
    public var probed: Bool
    public var rollbackAction: String?
    public var rollbackError: String?
    public var leftForOperator: String?
    /// The checkpoint as measured after the step succeeded (bounded, see
    /// `CheckpointMeasurements.bounded()`).
    public var measurements: CheckpointMeasurements?

    public init(step: StepKind) {
        self.step = step
        state = .pending
        attempts = 0
        outputs = [:]
        irreversibleFailure = false
        probed = false
    }
}
