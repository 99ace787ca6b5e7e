import CRPlanImages

/// One command's work on one run: the journal writer, the records so far
/// (and the `RunState` they give), the locks held, and the event sink.
///
/// Internal to the executor; one session lives for one `apply`, `resume`
/// or `rollback` call and is used from that call's task only.
final class RunSession {
    /// The engines' hosts; `host` (the local one) keeps the journal and locks.
    let hosts: EngineHosts
    var host: any Host { hosts.local }
    let graph: StepGraph
    let options: ExecutorOptions
    let observer: (any ExecutionObserver)?
    let folder: RunFolder
    let command: RunReport.Command
    let locks: LockSet
    /// The records on disk (written; all but possibly the last one synced).
    private(set) var records: [JournalRecord]
    /// Records already true but not yet written (`appendLater`): they go
    /// out in the same write, and fsync, as the next `append`.
    private(set) var pending: [JournalRecord] = []
    /// The run as `records` and `pending` say.
    private(set) var state: RunState
    private var journal: JournalWriter
    /// Why a resume's probe found a step done; the sequencer reports it in
    /// the step's `step-skipped` event, in graph order, once.
    var probedDone: [StepKind: String] = [:]
    /// The graph's steps in execution order (`StepGraph.executionOrder()`).
    let steps: [Step]
    /// True once the run's log folder was created.
    var logDirectoryReady = false

    init(
        hosts: EngineHosts, graph: StepGraph, steps: [Step], options: ExecutorOptions, observer: (any ExecutionObserver)?,
        folder: RunFolder, command: RunReport.Command, locks: LockSet, journal: JournalWriter,
        records: [JournalRecord], state: RunState
    ) {
        self.hosts = hosts
        self.graph = graph
        self.steps = steps
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

    /// Journals `record` durably, after the pending records, all in one
    /// write and one fsync; a failure is fatal for the run.
    func append(_ record: JournalRecord) async throws(JournalError) {
        let batch = pending + [record]
        try await journal.append(batch, synced: true)
        pending = []
        records += batch
        rebuildState()
    }

    /// Journals `record` without an fsync (`JournalWriter.append(_:synced:)`):
    /// for a record that matters only when crplan dies and the machine stays
    /// up (a child's pid). With records pending, they and it are synced.
    func appendWithoutSync(_ record: JournalRecord) async throws(JournalError) {
        let batch = pending + [record]
        try await journal.append(batch, synced: false)
        pending = []
        records += batch
        rebuildState()
    }

    /// Keeps `record` for the next `append`, which writes it first. For a
    /// record whose loss in a crash the resume's probe makes good: a step's
    /// success (the probe of an interrupted step finds it done) and the
    /// start and success of a step that changes nothing (it reruns). It must
    /// be written before the next side effect that depends on it; the
    /// sequencer's next `step-started` or `run-finished` does that.
    func appendLater(_ record: JournalRecord) {
        pending.append(record)
        rebuildState()
    }

    private func rebuildState() {
        if let rebuilt = RunState(records: records + pending) {
            state = rebuilt
        }
    }

    func emit(
        _ kind: ExecutionEvent.Kind, step: StepKind? = nil, attempt: Int? = nil, duration: Int64? = nil,
        message: String? = nil, outputs: [String: String]? = nil, outcome: String? = nil, next: [NextCommand]? = nil,
        measurements: CheckpointMeasurements? = nil
    ) async {
        guard let observer else { return }
        let event = ExecutionEvent(
            kind: kind, planName: planName, runID: runID, step: step, attempt: attempt,
            durationMilliseconds: duration, message: message, outputs: outputs, outcome: outcome, next: next,
            measurements: measurements, at: await host.now()
        )
        observer.handle(event)
    }


    func context(for step: Step, attempt: Int, started: Timestamp) -> StepContext {
        StepContext(session: self, step: step, attempt: attempt, deadline: started.adding(milliseconds: Int64(step.timeout.milliseconds)))
    }

    func report(
        _ outcome: RunReport.Outcome, failedStep: StepKind? = nil, error: String? = nil, notes: [String], next: [NextCommand] = []
    ) -> RunReport {
        RunReport(
            command: command, planName: planName, runID: runID, outcome: outcome, failedStep: failedStep, error: error, notes: notes,
            next: next, run: state
        )
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
