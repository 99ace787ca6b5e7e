import CRPlanImages

/// Everything `crplan show IMAGE_DIR` tells about a checkpoint: what
/// `inspect` saved about the container, how CRIU ran, the size on disk by
/// kind, the dumped process tree, CRIU's statistics and the runs whose
/// journal names this image dir. What could not be read is in `problems`;
/// the rest is still shown. `Codable` for `--format json`.
public struct CheckpointImageReport: Sendable, Hashable, Codable {
    public var imageDir: String
    /// `crplan-facts.json`, if the dir holds it (external mode).
    public var container: ContainerFacts?
    /// From `dump.log`.
    public var criu: CRIULogSummary?
    /// From `restore.log`, once a restore ran.
    public var restoreLog: CRIULogSummary?
    public var size: CheckpointImageSize?
    public var inventory: CheckpointInventory?
    /// The dumped tree, parents before children; nil without `pstree.img`.
    public var processes: [CheckpointProcess]?
    public var statistics: CheckpointStatistics?
    /// The latest run of each plan whose journal names this image dir.
    public var runs: [RunSummary]
    /// What could not be read, each naming the file and why.
    public var problems: [String]

    public init(
        imageDir: String, container: ContainerFacts? = nil, criu: CRIULogSummary? = nil, restoreLog: CRIULogSummary? = nil, size: CheckpointImageSize? = nil,
        inventory: CheckpointInventory? = nil, processes: [CheckpointProcess]? = nil, statistics: CheckpointStatistics? = nil,
        runs: [RunSummary] = [], problems: [String] = []
    ) {
        self.imageDir = imageDir
        self.container = container
        self.criu = criu
        self.restoreLog = restoreLog
        self.size = size
        self.inventory = inventory
        self.processes = processes
        self.statistics = statistics
        self.runs = runs
        self.problems = problems
    }
}

/// One run of a plan, as its journal tells it, in a few lines.
public struct RunSummary: Sendable, Hashable, Codable {
    public var planName: String
    public var runID: String
    public var journalPath: String
    public var operation: Plan.Operation
    public var mode: Plan.Mode
    public var phase: RunState.Phase
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
    /// From the first step's start to the last step's end.
    public var durationMilliseconds: Int64?
    public var steps: [Step]

    /// One step: its state, how long it took, and its error if it failed.
    public struct Step: Sendable, Hashable, Codable {
        public var step: StepKind
        public var state: StepState
        public var durationMilliseconds: Int64?
        public var attempts: Int
        public var error: String?
    }

    public init(_ status: RunStatus) {
        let run = status.run
        planName = status.planName
        runID = run.runID
        journalPath = status.journalPath
        operation = run.operation
        mode = run.mode
        phase = run.phase
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        let ends = run.steps.compactMap(\.finishedAt)
        durationMilliseconds = ends.max().map { $0.milliseconds(since: run.startedAt) }
        steps = run.steps.map {
            Step(step: $0.step, state: $0.state, durationMilliseconds: $0.durationMilliseconds, attempts: $0.attempts, error: $0.error)
        }
    }

    /// True when a step of the run worked in `imageDir` (its `imageDir` output).
    public static func run(_ status: RunStatus, usesImageDir imageDir: String) -> Bool {
        let wanted = normalized(imageDir)
        return status.run.steps.contains { record in record.outputs["imageDir"].map(normalized) == wanted }
    }

    static func normalized(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
