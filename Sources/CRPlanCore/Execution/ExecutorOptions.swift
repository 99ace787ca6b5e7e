/// How the CLI tunes a run: where state lives and whether to roll back.
/// Time limits and polling are on the steps (the planner sets them).
public struct ExecutorOptions: Sendable, Hashable {
    /// Holds `runs/<plan>/` (see `RunFolder`).
    public var stateDirectory: String
    /// `--no-rollback` sets it false: a failed step leaves everything as it is.
    public var rollbackOnFailure: Bool
    /// An image dir that already holds a complete checkpoint is moved to
    /// `<dir>.<time>` instead of refusing the run.
    public var keepExistingCheckpoint: Bool
    /// Recorded in the journal.
    public var crplanVersion: String
    /// `resume --force-changed-plan`: resume even though the plan's steps
    /// changed since the run started (warned about and journaled).
    public var forceChangedPlan: Bool = false

    public init(
        stateDirectory: String = RunFolder.defaultStateDirectory,
        rollbackOnFailure: Bool = true,
        keepExistingCheckpoint: Bool = false,
        crplanVersion: String = "dev"
    ) {
        self.stateDirectory = stateDirectory
        self.rollbackOnFailure = rollbackOnFailure
        self.keepExistingCheckpoint = keepExistingCheckpoint
        self.crplanVersion = crplanVersion
    }
}
