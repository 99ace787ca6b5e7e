/// What `apply`, `resume` or `rollback` did, for the CLI's summary, its
/// exit status, and `--format json`.
public struct RunReport: Sendable, Hashable, Codable {
    /// Which command produced the report.
    public enum Command: String, Sendable, Hashable, Codable {
        case apply, resume, rollback
    }

    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Every step succeeded (apply/resume).
        case succeeded
        /// A step failed and every completed step was undone; or `rollback` undid the run.
        case rolledBack = "rolled-back"
        /// A step failed and nothing was undone (`--no-rollback`): resume or roll back later.
        case failed
        /// Someone must act: a rollback action failed, a point of no return was
        /// passed (the way on is `crplan resume`), or a probe could not decide.
        case needsAttention = "needs-attention"
    }

    public var command: Command
    public var planName: String
    public var runID: String
    public var outcome: Outcome
    public var failedStep: StepKind?
    public var error: String?
    /// What the operator should know: kept images, a container still running,
    /// what is left to undo by hand, the way forward.
    public var notes: [String]
    /// The crplan commands that continue from here, if any.
    public var next: [NextCommand]
    /// The run as its journal now says.
    public var run: RunState

    /// 0 success, 1 a step failed (rolled back, or left with `--no-rollback`), 4 needs operator attention.
    public var exitCode: Int32 {
        switch outcome {
        case .succeeded: 0
        case .rolledBack: command == .rollback ? 0 : 1
        case .failed: 1
        case .needsAttention: 4
        }
    }
}
