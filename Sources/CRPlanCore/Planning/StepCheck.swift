/// A condition that must hold when a step is done, beyond its commands'
/// exit status; `wait-container-exited` polls until its checks hold.
///
/// These are the facts the procedure depends on (the container is running
/// before a dump and gone before a restore, CRIU's logs say it finished),
/// kept as data so that the dry run shows them and tests can pin them.
public enum StepCheck: Sendable, Hashable, Codable {
    /// Docker reports the container running (`State.Running`).
    case containerRunning
    /// Docker reports the container not running (exited or created).
    case containerNotRunning
    /// `path` is not a mount point (Docker has torn the container's root down;
    /// a path that no longer exists, as overlay2 leaves it, is not one either).
    case notMountPoint(path: Template)
    /// The log file contains `text` (CRIU's "finished successfully" lines).
    case logContains(log: Template, text: String)
    /// The facts file a checkpoint run saved exists and names the inspected container.
    case savedFactsMatchContainer(file: Template)
    /// The pid written in `pidfile` is alive and runs the container's command.
    case processAlive(pidfile: Template)
    /// Docker reports one of these storage drivers for the container
    /// (external C/R rebuilds the root itself and serves only these).
    case storageDriver([String])
    /// Migrate: `path`, this run's staging dir, is neither a place crplan
    /// never writes (`PathPolicy.writtenPathProblem`) nor at or below one of
    /// `dockerHomes` (the source's and target's data roots); checked on the
    /// bound path before the folder is made (a made folder must be new).
    case freshStagingDir(path: Template, dockerHomes: [Template])

    /// The line CRIU writes to dump.log when a dump succeeded.
    public static let dumpFinished = "Dumping finished successfully"
    /// What CRIU's pre-dump log ends with when the pre-dump worked.
    public static let preDumpFinished = "Pre-dumping finished successfully"
    /// The line CRIU writes to restore.log when a restore succeeded.
    public static let restoreFinished = "Restore finished successfully"
}
