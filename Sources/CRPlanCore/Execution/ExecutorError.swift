/// Why `apply`, `resume`, `rollback` or `status` refused or stopped, with
/// what to do next. `exitCode` is the documented CLI exit status.
public enum ExecutorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The plan name cannot be a run folder name.
    case invalidPlanName(String)
    /// Another crplan holds the plan's or the container's lock.
    case locked(what: String, path: String, holderPID: Int?)
    /// `apply` found an unfinished run of the plan.
    case unfinishedRun(planName: String, runID: String, phase: RunState.Phase)
    /// `resume`/`rollback` found no run of the plan.
    case noRun(planName: String)
    /// `resume`/`rollback` found the plan's last run finished.
    case runFinished(planName: String, runID: String, phase: RunState.Phase)
    /// The plan changed since the run started.
    case planChanged(planName: String, runID: String, journaled: String, current: String)
    /// `resume` found a rollback in progress or incomplete.
    case rollbackPending(planName: String, runID: String, phase: RunState.Phase)
    /// A started step's probe could not decide what it did; an operator must.
    case needsOperator(planName: String, step: StepKind, message: String)
    /// The journal is corrupt, unreadable, or could not be written.
    case journal(JournalError)
    /// The run folder could not be prepared or read.
    case stateDirectory(path: String, error: HostError)
    /// The compiled graph cannot be run (a planner bug).
    case invalidGraph(StepGraphError)
    /// The graph's operation is compiled and printed but not run by this crplan yet (`migrate`).
    case operationNotSupported(Plan.Operation)

    public var description: String {
        switch self {
        case .invalidPlanName(let name):
            "plan name `\(name)` is not valid: "
                + (PlanNameRule.problem(with: name).map { $0 + " (plan names are lowercase letters, digits and `-`)" }
                    ?? "it cannot name a run folder")
        case .locked(let what, let path, let holderPID):
            "\(what) is locked by \(holderPID.map { "crplan process \($0)" } ?? "another process") (\(path)): "
                + "wait for it to finish, or check that process"
        case .unfinishedRun(let planName, let runID, let phase):
            "plan \(planName) has an unfinished run \(runID) (\(phase.rawValue)): continue it or undo it before starting another"
        case .noRun(let planName):
            "plan \(planName) has no run to continue or undo"
        case .runFinished(let planName, let runID, let phase):
            "the last run \(runID) of plan \(planName) is finished (\(phase.rawValue)): nothing to continue or undo"
        case .planChanged(let planName, let runID, let journaled, let current):
            "the steps of plan \(planName) changed since run \(runID) started (digest \(journaled), now \(current)): "
                + "restore the plan as it was to resume that run, or resume with --force-changed-plan if the change is safe "
                + "(rollback undoes the run with the steps it journaled; only a journal from before crplan kept them needs the plan "
                + "as it was, or rollback --force-changed-plan)"
        case .rollbackPending(let planName, let runID, let phase):
            "run \(runID) of plan \(planName) is \(phase.rawValue): finish undoing it first"
        case .needsOperator(let planName, let step, let message):
            "plan \(planName), step \(step.rawValue): \(message)"
        case .journal(let error):
            error.description
        case .stateDirectory(let path, let error):
            "cannot use the run folder \(path): \(error)"
        case .invalidGraph(let error):
            error.description
        case .operationNotSupported(let operation):
            "operation \(operation.rawValue) is not supported by this crplan's executor yet: `crplan plan` prints its steps, "
                + "but nothing was run; migrate by hand following the printed steps, or use a crplan that runs it"
        }
    }

    /// The crplan commands that continue from here (the CLI spells them with the plan's file).
    public var next: [NextCommand] {
        switch self {
        case .unfinishedRun:
            [NextCommand(.resume, "to continue it"), NextCommand(.rollback, "to undo it"), NextCommand(.status, "to see where it stopped")]
        case .noRun, .runFinished:
            [NextCommand(.apply, "to start a new run")]
        case .rollbackPending:
            [NextCommand(.rollback, "to finish undoing it"), NextCommand(.status, "to see what is left")]
        case .journal:
            [NextCommand(.status, "to see what the journal's readable lines say")]
        case .invalidPlanName, .locked, .planChanged, .needsOperator, .stateDirectory, .invalidGraph, .operationNotSupported:
            []
        }
    }

    /// 2 usage/plan error, 3 locked, 4 needs operator attention.
    public var exitCode: Int32 {
        switch self {
        case .invalidPlanName, .noRun, .runFinished, .planChanged: 2
        case .locked: 3
        case .unfinishedRun, .rollbackPending, .needsOperator, .journal, .stateDirectory: 4
        case .invalidGraph, .operationNotSupported: 2
        }
    }
}
