import CRPlanImages

/// A run rebuilt from its journal records: what `status` prints and what
/// `resume`/`rollback` decide from. Nothing else is trusted about a run.
public struct RunState: Sendable, Hashable, Codable {
    /// Where the run as a whole stands.
    public enum Phase: String, Sendable, Hashable, Codable {
        /// Unfinished; no step failed (crplan runs it, or was stopped mid-way).
        case inProgress = "in-progress"
        /// Unfinished; a step failed and no rollback ran (`--no-rollback`, or a stop).
        case stepFailed = "step-failed"
        /// A rollback started and did not finish (crplan was stopped during it).
        case rollingBack = "rolling-back"
        /// A rollback finished but some undo actions failed: see each step's `leftForOperator`.
        case rollbackIncomplete = "rollback-incomplete"
        /// A step failed after a point of no return; `crplan resume` continues (roll forward).
        case needsRollForward = "needs-roll-forward"
        case succeeded
        case rolledBack = "rolled-back"
        case failed

        /// True for the phases of a finished run (a new apply may start).
        public var isFinished: Bool { self == .succeeded || self == .rolledBack || self == .failed }
    }

    public var runID: String
    public var planName: String
    public var planDigest: String
    public var operation: Plan.Operation
    public var mode: Plan.Mode
    public var container: String
    public var crplanVersion: String
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
    public var phase: Phase
    /// The facts bound last (inspect, or the checkpoint's saved facts).
    public var facts: ContainerFacts?
    /// Steps in graph order.
    public var steps: [StepRecord]
    /// What the last rollback or the finish said for the operator.
    public var notes: [String]
    /// The last rollback stopped at a point of no return: the way on is `resume`.
    public var rollForward: Bool
    public var resumes: Int
    /// Digests of changed plans a resume was forced to go on with (`--force-changed-plan`), oldest first.
    public var forcedPlanChanges: [String]?

    /// Nil when `records` does not begin with `run-started`.
    public init?(records: [JournalRecord]) {
        guard case .runStarted(let start)? = records.first else { return nil }
        runID = start.runID
        planName = start.planName
        planDigest = start.planDigest
        operation = start.operation
        mode = start.mode
        container = start.container
        crplanVersion = start.crplanVersion
        startedAt = start.at
        phase = .inProgress
        steps = start.steps.map { StepRecord(step: $0) }
        notes = []
        rollForward = false
        resumes = 0
        for record in records.dropFirst() {
            apply(record)
        }
    }

    public subscript(step: StepKind) -> StepRecord? {
        steps.first { $0.step == step }
    }

    public var isFinished: Bool { phase.isFinished }

    private mutating func update(_ step: StepKind, _ change: (inout StepRecord) -> Void) {
        if let index = steps.firstIndex(where: { $0.step == step }) {
            change(&steps[index])
        } else {
            var record = StepRecord(step: step)
            change(&record)
            steps.append(record)
        }
    }

    private mutating func apply(_ record: JournalRecord) {
        switch record {
        case .runStarted:
            break
        case .factsBound(let bound):
            facts = bound.facts
        case .stepStarted(let started):
            update(started.step) {
                // After a failed undo the outputs still describe what is left
                // (e.g. crplan's mount): keep them for the new attempt.
                if $0.state != .rollbackFailed { $0.outputs = [:] }
                $0.state = .running
                $0.attempts = max($0.attempts + 1, started.attempt)
                $0.startedAt = started.at
                $0.finishedAt = nil
                $0.durationMilliseconds = nil
                $0.error = nil
                $0.irreversibleFailure = false
                $0.probed = false
                $0.rollbackAction = nil
                $0.rollbackError = nil
                $0.leftForOperator = nil
            }
        case .stepProgress(let progress):
            update(progress.step) { $0.outputs.merge(progress.values) { _, new in new } }
        case .stepSucceeded(let succeeded):
            update(succeeded.step) {
                $0.state = .succeeded
                $0.outputs.merge(succeeded.outputs) { _, new in new }
                $0.durationMilliseconds = succeeded.durationMilliseconds
                $0.finishedAt = succeeded.at
                $0.probed = succeeded.probed
                $0.measurements = succeeded.measurements?.bounded()
            }
        case .stepFailed(let failed):
            update(failed.step) {
                $0.state = .failed
                $0.error = failed.error
                $0.durationMilliseconds = failed.durationMilliseconds
                $0.finishedAt = failed.at
                $0.irreversibleFailure = failed.irreversible
            }
            phase = .stepFailed
        case .runResumed(let resumed):
            resumes += 1
            if let digest = resumed.forcedPlanDigest {
                planDigest = digest
                forcedPlanChanges = (forcedPlanChanges ?? []) + [digest]
            }
            phase = .inProgress
            notes = []
            rollForward = false
        case .rollbackStarted:
            phase = .rollingBack
        case .stepRolledBack(let rolledBack):
            update(rolledBack.step) {
                $0.state = .rolledBack
                $0.rollbackAction = rolledBack.action
                $0.rollbackError = nil
                $0.leftForOperator = nil
            }
        case .rollbackFailed(let failed):
            update(failed.step) {
                $0.state = .rollbackFailed
                $0.rollbackError = failed.error
                $0.leftForOperator = failed.leftForOperator
            }
        case .rollbackFinished(let finished):
            notes = finished.notes
            rollForward = finished.rollForward
            phase = !finished.complete ? .rollbackIncomplete : finished.rollForward ? .needsRollForward : .rollingBack
        case .runFinished(let finished):
            finishedAt = finished.at
            notes = finished.notes
            switch finished.outcome {
            case .succeeded: phase = .succeeded
            case .rolledBack: phase = .rolledBack
            case .failed: phase = .failed
            }
        }
    }
}
