/// Runs a compiled `StepGraph` against a `Host` with an on-disk journal:
/// `apply` a plan, `resume` an unfinished run, `rollback` one, or read a
/// plan's `status`. Host-agnostic: every side effect goes through `host`.
///
/// Refusals before any side effect (locked, unfinished run, changed plan,
/// corrupt journal) throw `ExecutorError`; a run that happened returns a
/// `RunReport` whose `exitCode` the CLI exits with. Progress goes to `observer`.
public struct Executor: Sendable {
    /// The source and target engines' hosts (`operation: migrate` has two sides).
    public let hosts: EngineHosts
    public let options: ExecutorOptions
    public let observer: (any ExecutionObserver)?

    /// The machine crplan runs on: journal, locks and state files.
    public var host: any Host { hosts.local }

    public init(host: any Host, options: ExecutorOptions, observer: (any ExecutionObserver)? = nil) {
        self.init(hosts: EngineHosts(source: host), options: options, observer: observer)
    }

    public init(hosts: EngineHosts, options: ExecutorOptions, observer: (any ExecutionObserver)? = nil) {
        self.hosts = hosts
        self.options = options
        self.observer = observer
    }

    // MARK: apply

    /// Starts a new run of `graph`. Takes the plan lock and the container
    /// lock (failing at once, naming the holder), refuses when the plan has
    /// an unfinished run, archives the previous finished run's journal, then
    /// runs every step; on a failure rolls back unless `rollbackOnFailure` is off.
    public func apply(_ graph: StepGraph) async throws(ExecutorError) -> RunReport {
        let folder = try runFolder(for: graph)
        let digest = try planDigest(graph)
        try await prepareFolders(folder)
        return try await withLocks { locks throws(ExecutorError) in
            try await locks.acquire(folder.lockFile, key: "plan", what: "plan \(graph.planName)")
            var existing = try await readJournal(folder)
            if let contents = existing, let previous = RunState(records: contents.records) {
                guard previous.isFinished else {
                    throw .unfinishedRun(planName: graph.planName, runID: previous.runID, phase: previous.phase)
                }
                try await archive(folder, runID: previous.runID)
                existing = nil
            }
            try await locks.acquire(folder.containerLock(graph.container.value), key: "container:" + graph.container.value, what: "container \(graph.container.value)")
            try await acquireTargetLock(graph, folder: folder, locks: locks)

            let now = await host.now()
            let runID = now.compact + "-" + Self.runSuffix(UInt16.random(in: 0...UInt16.max))
            let start = JournalRecord.RunStarted(
                runID: runID, planName: graph.planName, planDigest: digest, operation: graph.operation, mode: graph.mode,
                container: graph.container.value, steps: graph.steps.map(\.kind), crplanVersion: options.crplanVersion, at: now,
                graph: graph
            )
            let session = try await openSession(graph, folder: folder, command: .apply, locks: locks, existing: existing, start: start)
            await session.emit(.runStarted, message: "\(graph.operation.rawValue) of container \(graph.container.value) (\(graph.mode.rawValue))")
            return try await journaled(folder) { () async throws(JournalError) in
                try await session.finish(try await session.runRemainingSteps())
            }
        }
    }

    /// The run id's random suffix: always four lowercase hex digits, so
    /// run ids of one plan have one width and sort by their time.
    static func runSuffix(_ value: UInt16) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }

    // MARK: resume

    /// Continues the plan's unfinished run: refuses when the plan changed;
    /// probes each step journaled as started but not finished (never dumping
    /// twice nor restoring a second copy), then runs the remaining steps.
    public func resume(_ graph: StepGraph) async throws(ExecutorError) -> RunReport {
        let folder = try runFolder(for: graph)
        let digest = try planDigest(graph)
        return try await withLocks { locks throws(ExecutorError) in
            let (contents, state) = try await unfinishedRun(
                graph, folder: folder, digest: digest, locks: locks, allowChangedPlan: options.forceChangedPlan)
            let forced = state.planDigest != digest
            switch state.phase {
            case .rollingBack:
                throw .rollbackPending(planName: graph.planName, runID: state.runID, phase: state.phase)
            case .rollbackIncomplete where !state.rollForward:
                throw .rollbackPending(planName: graph.planName, runID: state.runID, phase: state.phase)
            default:
                break
            }
            let session = try await openSession(graph, folder: folder, command: .resume, locks: locks, existing: contents, start: nil)
            try await journaled(folder) { () async throws(JournalError) in
                try await session.append(.runResumed(.init(
                    crplanVersion: options.crplanVersion, at: await host.now(), forcedPlanDigest: forced ? digest : nil)))
            }
            await session.emit(.runResumed, message: "resuming run \(state.runID) (\(state.phase.rawValue))")
            if forced {
                await session.emit(.note, message: "warning: the steps of plan \(graph.planName) changed since run \(state.runID) started "
                    + "(digest \(state.planDigest), now \(digest)); resuming anyway as forced (--force-changed-plan), journaled with the new digest")
            }
            try await session.probeInterruptedSteps(forRollback: false)
            return try await journaled(folder) { () async throws(JournalError) in
                try await session.finish(try await session.runRemainingSteps())
            }
        }
    }

    // MARK: rollback

    /// Undoes the plan's unfinished or failed run as far as is safe (see
    /// `RunReport.notes` for what is kept and what is left to do by hand).
    ///
    /// It undoes what the journaled run did, so it works from the graph the
    /// run journaled when it started, whatever the plan file says now (a note
    /// says so when they differ). Only a journal from before crplan kept the
    /// graph needs the plan as it was, or `--force-changed-plan` to undo with
    /// the edited plan's steps.
    public func rollback(_ graph: StepGraph) async throws(ExecutorError) -> RunReport {
        let folder = try runFolder(for: graph)
        let digest = try planDigest(graph)
        return try await withLocks { locks throws(ExecutorError) in
            let (contents, state) = try await unfinishedRun(graph, folder: folder, digest: digest, locks: locks, allowChangedPlan: true)
            var used = graph
            var note: String?
            if state.planDigest != digest {
                if let journaled = Self.journaledGraph(contents, digest: state.planDigest, planName: graph.planName) {
                    used = journaled
                    note = "the steps of plan \(graph.planName) changed since run \(state.runID) started (digest \(state.planDigest), "
                        + "now \(digest)): rolling back with the steps that run journaled, not the edited plan"
                } else if options.forceChangedPlan {
                    note = "warning: the steps of plan \(graph.planName) changed since run \(state.runID) started (digest \(state.planDigest), "
                        + "now \(digest)) and its journal does not hold them; rolling back with the edited plan's steps as forced (--force-changed-plan)"
                } else {
                    throw .planChanged(planName: graph.planName, runID: state.runID, journaled: state.planDigest, current: digest)
                }
                let container = used.container.value
                try await locks.acquire(folder.containerLock(container), key: "container:" + container, what: "container \(container)")
            }
            let session = try await openSession(used, folder: folder, command: .rollback, locks: locks, existing: contents, start: nil)
            if let note { await session.emit(.note, message: note) }
            try await session.probeInterruptedSteps(forRollback: true)
            return try await journaled(folder) { () async throws(JournalError) in
                try await session.rollBack(explicit: true, failed: nil)
            }
        }
    }

    // MARK: status

    /// The plan's latest run as its journal says (nil if it has none). Takes no lock.
    public func status(planName: String) async throws(ExecutorError) -> RunStatus? {
        guard RunFolder.isValidPlanName(planName) else { throw .invalidPlanName(planName) }
        let folder = RunFolder(stateDirectory: options.stateDirectory, planName: planName)
        var corruption: String?
        let read: JournalContents?
        do {
            read = try await readJournal(folder)
        } catch {
            // A damaged middle line: show what the lines before it say.
            guard case .journal(.corrupt(_, let line, let reason)) = error, let prefix = try await readJournalPrefix(folder, before: line) else {
                throw error
            }
            read = prefix
            corruption = "line \(line): \(reason)"
        }
        guard let contents = read, let run = RunState(records: contents.records) else {
            if let corruption { throw .journal(.corrupt(path: folder.journal, line: 1, reason: corruption)) }
            return nil
        }
        var history: [String] = []
        do {
            if try await host.fileType(at: folder.historyDirectory) == .directory {
                history = try await host.listDirectory(at: folder.historyDirectory)
                    .filter { $0.hasSuffix(".jsonl") }
                    .map { String($0.dropLast(".jsonl".count)) }
                    .sorted()
            }
        } catch {
            throw .stateDirectory(path: folder.historyDirectory, error: error)
        }
        return RunStatus(
            planName: planName, journalPath: folder.journal, run: run,
            tornLastLine: contents.tornLine.map { "line \($0.line): \($0.reason)" }, history: history,
            summary: CheckpointRunSummary(run: run), corruption: corruption
        )
    }

    /// The status of every plan with a run folder, by plan name; a plan
    /// whose journal cannot be read is listed with why, and the others are
    /// still shown.
    public func statusOfEveryPlan() async throws(ExecutorError) -> AllPlansStatus {
        var report = AllPlansStatus(statuses: [], failures: [])
        for name in try await planNamesWithRunFolders() {
            do {
                if let status = try await status(planName: name) { report.statuses.append(status) }
            } catch {
                report.failures.append(.init(planName: name, error: error))
            }
        }
        return report
    }

    /// The status of every plan with a run folder, by plan name.
    /// Throws the first plan's error when one cannot be read (`statusOfEveryPlan` lists them instead).
    public func statusOfAllPlans() async throws(ExecutorError) -> [RunStatus] {
        let report = try await statusOfEveryPlan()
        if let failure = report.failures.first { throw failure.error }
        return report.statuses
    }

    /// The names of the plans with a run folder, sorted.
    func planNamesWithRunFolders() async throws(ExecutorError) -> [String] {
        let runs = RunFolder(stateDirectory: options.stateDirectory, planName: "_").runsDirectory
        do {
            guard try await host.fileType(at: runs) == .directory else { return [] }
            return try await host.listDirectory(at: runs).filter(RunFolder.isValidPlanName).sorted()
        } catch {
            throw .stateDirectory(path: runs, error: error)
        }
    }
}

// MARK: - Preparation shared by the commands

extension Executor {
    func runFolder(for graph: StepGraph) throws(ExecutorError) -> RunFolder {
        guard RunFolder.isValidPlanName(graph.planName) else { throw .invalidPlanName(graph.planName) }
        do {
            _ = try graph.executionOrder()
        } catch {
            throw .invalidGraph(error)
        }
        return RunFolder(stateDirectory: options.stateDirectory, planName: graph.planName)
    }

    func planDigest(_ graph: StepGraph) throws(ExecutorError) -> String {
        do {
            return try PlanDigest.of(graph)
        } catch {
            throw .journal(.unreadable(path: "plan \(graph.planName)", reason: "cannot encode the plan for its digest: \(error)"))
        }
    }

    /// Creates `runs/`, `runs/.locks/` and the plan's folder, each 0700.
    func prepareFolders(_ folder: RunFolder) async throws(ExecutorError) {
        for path in [folder.runsDirectory, folder.containerLocksDirectory, folder.path] {
            do {
                try await host.makeDirectory(at: path, mode: 0o700)
            } catch {
                throw .stateDirectory(path: path, error: error)
            }
        }
    }

    /// Migrate: the lock on the target container's name on the target
    /// engine (a file in the local state dir keyed by engine and name).
    func acquireTargetLock(_ graph: StepGraph, folder: RunFolder, locks: LockSet) async throws(ExecutorError) {
        guard let target = graph.migrationTarget else { return }
        try await locks.acquire(folder.targetLock(target.lockKey), key: "target:" + target.lockKey, what: "target \(target.description)")
    }

    /// Runs `body` with a fresh lock set, releasing every lock afterwards.
    func withLocks<Result>(_ body: (LockSet) async throws(ExecutorError) -> Result) async throws(ExecutorError) -> Result {
        let locks = LockSet(host: host)
        do {
            let result = try await body(locks)
            await locks.releaseAll()
            return result
        } catch {
            await locks.releaseAll()
            throw error
        }
    }

    /// Maps a journal failure of `body` to `ExecutorError.journal`.
    func journaled<Result>(_ folder: RunFolder, _ body: () async throws(JournalError) -> Result) async throws(ExecutorError) -> Result {
        do {
            return try await body()
        } catch {
            throw .journal(error)
        }
    }

    /// The journal's contents, or nil if there is none. A corrupt journal throws.
    func readJournal(_ folder: RunFolder) async throws(ExecutorError) -> JournalContents? {
        let bytes: [UInt8]
        do throws(HostError) {
            guard let type = try await host.fileType(at: folder.journal) else { return nil }
            guard type == .regular else {
                throw HostError.io(operation: "read", path: folder.journal, message: "not a regular file (\(type.rawValue))")
            }
            bytes = try await host.readFile(at: folder.journal)
        } catch {
            throw .journal(.unreadable(path: folder.journal, reason: error.description))
        }
        do {
            return try JournalReader.parse(bytes, path: folder.journal)
        } catch {
            throw .journal(error)
        }
    }

    /// The journal's lines before the damaged line `line` (which the reader
    /// accepted in order, so they parse), or nil when there are none.
    func readJournalPrefix(_ folder: RunFolder, before line: Int) async throws(ExecutorError) -> JournalContents? {
        guard line > 1 else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try await host.readFile(at: folder.journal)
        } catch {
            throw .journal(.unreadable(path: folder.journal, reason: error.description))
        }
        var end = 0
        var lines = 0
        while lines < line - 1, let newline = bytes[end...].firstIndex(of: UInt8(ascii: "\n")) {
            end = newline + 1
            lines += 1
        }
        return try? JournalReader.parse(Array(bytes[..<end]), path: folder.journal)
    }

    /// Moves a finished run's journal to `history/<run-id>.jsonl`.
    func archive(_ folder: RunFolder, runID: String) async throws(ExecutorError) {
        do {
            try await host.makeDirectory(at: folder.historyDirectory, mode: 0o700)
            let destination = try await AsideName.free(base: folder.historyDirectory + "/" + runID, suffix: ".jsonl", host: host)
            try await host.move(from: folder.journal, to: destination)
        } catch {
            throw .stateDirectory(path: folder.historyDirectory, error: error)
        }
    }

    /// The plan's unfinished run for resume/rollback: the plan lock, the
    /// journal, the digest check, and the container locks.
    /// The graph the run journaled in `run-started`, when it is there, names
    /// the same plan and has the journaled digest (nil otherwise).
    static func journaledGraph(_ contents: JournalContents, digest: String, planName: String) -> StepGraph? {
        guard case .runStarted(let start)? = contents.records.first, let graph = start.graph,
              graph.planName == planName, (try? PlanDigest.of(graph)) == digest else { return nil }
        return graph
    }

    func unfinishedRun(
        _ graph: StepGraph, folder: RunFolder, digest: String, locks: LockSet, allowChangedPlan: Bool = false
    ) async throws(ExecutorError) -> (JournalContents, RunState) {
        let folderType: FileType?
        do {
            folderType = try await host.fileType(at: folder.path)
        } catch {
            throw .stateDirectory(path: folder.path, error: error)
        }
        guard folderType == .directory else { throw .noRun(planName: graph.planName) }
        try await prepareFolders(folder)
        try await locks.acquire(folder.lockFile, key: "plan", what: "plan \(graph.planName)")
        guard let contents = try await readJournal(folder), let state = RunState(records: contents.records) else {
            throw .noRun(planName: graph.planName)
        }
        guard !state.isFinished else {
            throw .runFinished(planName: graph.planName, runID: state.runID, phase: state.phase)
        }
        guard state.planDigest == digest || allowChangedPlan else {
            throw .planChanged(planName: graph.planName, runID: state.runID, journaled: state.planDigest, current: digest)
        }
        for key in [graph.container.value, state.facts?.id].compactMap({ $0 }) {
            try await locks.acquire(folder.containerLock(key), key: "container:" + key, what: "container \(key)")
        }
        try await acquireTargetLock(graph, folder: folder, locks: locks)
        return (contents, state)
    }

    /// Opens the journal for appending (cutting a torn last line) and the
    /// session; for a new run, journals `run-started` first.
    func openSession(
        _ graph: StepGraph, folder: RunFolder, command: RunReport.Command, locks: LockSet,
        existing: JournalContents?, start: JournalRecord.RunStarted?
    ) async throws(ExecutorError) -> RunSession {
        var writer = try await journaled(folder) { () async throws(JournalError) in
            try await JournalWriter.open(host: host, path: folder.journal, existing: existing)
        }
        var records = start == nil ? existing?.records ?? [] : []
        if let start {
            try await journaled(folder) { () async throws(JournalError) in
                try await writer.append(.runStarted(start))
            }
            records = [.runStarted(start)]
        }
        guard let state = RunState(records: records) else { throw .noRun(planName: graph.planName) }
        let steps: [Step]
        do {
            steps = try graph.executionOrder()
        } catch {
            throw .invalidGraph(error)
        }
        return RunSession(
            hosts: hosts, graph: graph, steps: steps, options: options, observer: observer, folder: folder, command: command,
            locks: locks, journal: writer, records: records, state: state
        )
    }
}
