/// The names inside a crplan portable archive (one tar, zstd-compressed by
/// default), defined once:
///
/// ```
/// manifest.json            format version, versions of the source, sha256 + size of every file
/// checkpoint/…             CRIU's images (a Docker checkpoint folder, or a crplan image dir)
/// rootfs/changes.tar       the container's added and changed files
/// rootfs/deleted.json      paths the container deleted (overlay whiteouts and opaque dirs translated)
/// container/config.json    the source's container configuration (docker inspect)
/// container/facts.json     crplan's ContainerFacts of the source
/// stats/…                  logs and statistics of the dump
/// ```
public enum ArchiveLayout {
    public static let manifest = "manifest.json"
    public static let checkpointDirectory = "checkpoint"
    public static let rootfsDirectory = "rootfs"
    public static let containerDirectory = "container"
    public static let statsDirectory = "stats"
    public static let rootfsChanges = "rootfs/changes.tar"
    public static let rootfsDeleted = "rootfs/deleted.json"
    public static let containerConfig = "container/config.json"
    public static let containerFacts = "container/facts.json"

    /// Top-level folders whose files may sit at any depth.
    public static let openDirectories: Set<String> = [checkpointDirectory, statsDirectory]
    /// Top-level folders that hold only the named files.
    public static let fixedFiles: [String: Set<String>] = [
        rootfsDirectory: [rootfsChanges, rootfsDeleted],
        containerDirectory: [containerConfig, containerFacts],
    ]
    /// Every top-level folder name.
    public static var topLevelDirectories: Set<String> { openDirectories.union(fixedFiles.keys) }
}
