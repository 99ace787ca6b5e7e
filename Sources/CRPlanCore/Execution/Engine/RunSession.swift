/// One command's work on one run: the journal writer, the records so far
/// (and the `RunState` they give), the locks held, and the event sink.
///
/// Internal to the executor; one session lives for one `apply`, `resume`
/// or `rollback` call and is used from that call's task only.
final class RunSession {
    let host: any Host
    let graph: StepGraph
    let options: ExecutorOptions
    let observer: (any ExecutionObserver)?
    let folder: RunFolder
    let command: RunReport.Command
    let locks: LockSet
    private(set) var records: [JournalRecord]
    private(set) var state: RunState
    private var journal: JournalWriter
    /// Why a resume's probe found a step done; the sequencer reports it in
    /// the step's `step-skipped` event, in graph order, once.
    var probedDone: [StepKind: String] = [:]

    init(
        host: any Host, graph: StepGraph, options: ExecutorOptions, observer: (any ExecutionObserver)?,
        folder: RunFolder, command: RunReport.Command, locks: LockSet, journal: JournalWriter,
        records: [JournalRecord], state: RunState
    ) {
        self.host = host
        self.graph = graph
        self.options = options
        self.observer = observer
        self.folder = folder
        self.command = command
        self.locks = locks
        self.journal = journal
        self.records = records
        self.state = state
    }

    var runID: String { state.runID }
    var planName: String { graph.planName }

    /// Journals `record` durably; a failure is fatal for the run.
    func append(_ record: JournalRecord) async throws(JournalError) {
        try await journal.append(record)
        records.append(record)
        if let rebuilt = RunState(records: records) {
            state = rebuilt
        }
    }

    func emit(
        _ kind: ExecutionEvent.Kind, step: StepKind? = nil, attempt: Int? = nil, duration: Int64? = nil,
        message: String? = nil, outputs: [String: String]? = nil, outcome: String? = nil
    ) async {
        guard let observer else { return }
        let event = ExecutionEvent(
            kind: kind, planName: planName, runID: runID, step: step, attempt: attempt,
            durationMilliseconds: duration, message: message, outputs: outputs, outcome: outcome, at: await host.now()
        )
        observer.handle(event)
    }

    func behavior(_ kind: StepKind) -> any StepBehavior {
        StepBehaviors.behavior(for: kind)
    }

    /// The step's time limit: the step's own, the plan's per-kind one, or the default.
    func timeout(of step: Step) -> Duration {
        if let timeout = step.timeout { return .milliseconds(timeout.milliseconds) }
        switch step.kind {
        case .dump, .checkpointCreate:
            if let timeout = graph.plan.timeouts.dump { return .milliseconds(timeout.milliseconds) }
        case .restore, .startFromCheckpoint:
            if let timeout = graph.plan.timeouts.restore { return .milliseconds(timeout.milliseconds) }
        case .waitContainerExited:
            return options.exitWaitTimeout
        default:
            break
        }
        return options.defaultStepTimeout
    }

    func context(for step: Step, attempt: Int, started: Timestamp) -> StepContext {
        StepContext(session: self, step: step, attempt: attempt, deadline: started.adding(milliseconds: timeout(of: step).wholeMilliseconds))
    }

    func report(_ outcome: RunReport.Outcome, failedStep: StepKind? = nil, error: String? = nil, notes: [String]) -> RunReport {
        RunReport(command: command, planName: planName, runID: runID, outcome: outcome, failedStep: failedStep, error: error, notes: notes, run: state)
    }
}

/// The locks a command holds; released when it returns (the kernel drops
/// them anyway if crplan dies).
final class LockSet {
    private let host: any Host
    private var held: [any HostLock] = []
    private(set) var keys: Set<String> = []

    init(host: any Host) {
        self.host = host
    }

    /// Takes the lock at `path` unless already held; `key` names it for reuse checks.
    func acquire(_ path: String, key: String, what: String) async throws(ExecutorError) {
        guard !keys.contains(key) else { return }
        do {
            held.append(try await host.lock(path))
            keys.insert(key)
        } catch {
            if case .locked(let path, let holderPID) = error {
                throw .locked(what: what, path: path, holderPID: holderPID)
            }
            throw .stateDirectory(path: path, error: error)
        }
    }

    func releaseAll() async {
        for lock in held.reversed() {
            await lock.release()
        }
        held.removeAll()
        keys.removeAll()
    }
}
