import CRPlanImages

/// A progress event of a run, for the CLI's one line per step and for
/// `--events json` (one JSON object per line, like swift-driver's
/// parseable output). Flat and Codable so CI can read it without crplan.
public struct ExecutionEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case runStarted = "run-started"
        case runResumed = "run-resumed"
        case stepStarted = "step-started"
        case stepFinished = "step-finished"
        /// A step is about to run one of its commands (`message` is the argv, shell-quoted for reading).
        case commandStarted = "command-started"
        /// The command's process exists and its pid and start time are journaled (`message` names the pid).
        case commandSpawned = "command-spawned"
        /// The step's work is done and checked; its `step-succeeded` record is not written yet.
        case stepRan = "step-ran"
        /// The command ended (`message` says how).
        case commandFinished = "command-finished"
        /// Not run: done earlier (journal), or found done by a probe.
        case stepSkipped = "step-skipped"
        case stepFailed = "step-failed"
        case rollbackStarted = "rollback-started"
        case stepRolledBack = "step-rolled-back"
        case rollbackFailed = "rollback-failed"
        /// Something the operator should read (kept images, still-running container, ...).
        case note
        case runFinished = "run-finished"
    }

    public var kind: Kind
    public var planName: String
    public var runID: String
    public var step: StepKind?
    public var attempt: Int?
    public var durationMilliseconds: Int64?
    public var message: String?
    public var outputs: [String: String]?
    /// For `run-finished`: the `RunReport.Outcome` raw value.
    public var outcome: String?
    /// For notes and `run-finished`: the crplan commands that continue from here.
    public var next: [NextCommand]?
    /// For `step-finished`: the checkpoint measured after the step.
    public var measurements: CheckpointMeasurements?
    public var at: Timestamp

    public init(
        kind: Kind, planName: String, runID: String, step: StepKind? = nil, attempt: Int? = nil,
        durationMilliseconds: Int64? = nil, message: String? = nil, outputs: [String: String]? = nil,
        outcome: String? = nil, next: [NextCommand]? = nil, measurements: CheckpointMeasurements? = nil, at: Timestamp
    ) {
        self.measurements = measurements
        self.next = next
        self.kind = kind
        self.planName = planName
        self.runID = runID
        self.step = step
        self.attempt = attempt
        self.durationMilliseconds = durationMilliseconds
        self.message = message
        self.outputs = outputs
        self.outcome = outcome
        self.at = at
    }
}

/// Receives progress events as they happen (the CLI prints them).
public protocol ExecutionObserver: Sendable {
    func handle(_ event: ExecutionEvent)
}
