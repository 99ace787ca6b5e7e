/// How the CLI tunes a run: where state lives, whether to roll back, and
/// the limits the plan leaves open.
public struct ExecutorOptions: Sendable, Hashable {
    /// Holds `runs/<plan>/` (see `RunFolder`).
    public var stateDirectory: String
    /// `--no-rollback` sets it false: a failed step leaves everything as it is.
    public var rollbackOnFailure: Bool
    /// An image dir that already holds a complete checkpoint is moved to
    /// `<dir>.<time>` instead of refusing the run.
    public var keepExistingCheckpoint: Bool
    /// Time limit of a step whose plan sets none.
    public var defaultStepTimeout: Duration
    /// How long `wait-container-exited` waits when the step sets no timeout.
    public var exitWaitTimeout: Duration
    /// How often `wait-container-exited` asks Docker.
    public var pollInterval: Duration
    /// Recorded in the journal.
    public var crplanVersion: String

    public init(
        stateDirectory: String = RunFolder.defaultStateDirectory,
        rollbackOnFailure: Bool = true,
        keepExistingCheckpoint: Bool = false,
        defaultStepTimeout: Duration = .seconds(600),
        exitWaitTimeout: Duration = .seconds(60),
        pollInterval: Duration = .milliseconds(500),
        crplanVersion: String = "dev"
    ) {
        self.stateDirectory = stateDirectory
        self.rollbackOnFailure = rollbackOnFailure
        self.keepExistingCheckpoint = keepExistingCheckpoint
        self.defaultStepTimeout = defaultStepTimeout
        self.exitWaitTimeout = exitWaitTimeout
        self.pollInterval = pollInterval
        self.crplanVersion = crplanVersion
    }
}
