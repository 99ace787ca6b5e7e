/// The names of the files a run keeps in the image dir, beside CRIU's images.
///
/// The planner writes these paths into the steps and the executor (and a
/// later restore-only run) finds the files by the same names, so they are
/// defined once, here.
public enum ImageDirLayout {
    /// CRIU's dump log (`criu dump -o dump.log`, relative to the image dir).
    public static let dumpLog = "dump.log"
    /// CRIU's restore log (`criu restore -o restore.log`).
    public static let restoreLog = "restore.log"
    /// Written by CRIU only when a dump succeeded: the dump's success probe.
    public static let statsDump = "stats-dump"
    /// Written by CRIU when a restore succeeded: its statistics.
    public static let statsRestore = "stats-restore"
    /// The `ContainerFacts` that `inspect` saved, as JSON, for a restore-only run.
    public static let containerFacts = "crplan-facts.json"
    /// The pidfile handed to `criu restore --pidfile`. CRIU opens it with
    /// O_EXCL, so it is not the plan's pidfile: the executor moves a stale
    /// one aside before each attempt and `write-pidfile` copies the checked
    /// pid to the plan's `restore.pidfile`.
    public static let criuRestorePidfile = "criu-restore.pid"
    /// CRIU's pre-dump log, in each pre-dump's folder (`-o` is relative to `-D`).
    public static let preDumpLog = "pre-dump.log"

    /// The folder of pre-dump `iteration` (from 1), inside the image dir:
    /// `pre-dump-<n>`. The next pre-dump and the final dump name it relative
    /// to their own `-D` with `--prev-images-dir`, as CRIU wants.
    public static func preDumpFolder(_ iteration: Int) -> String {
        "pre-dump-\(iteration)"
    }
}
