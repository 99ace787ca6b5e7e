/// What `inspect` learned about the live container: the values that bind a
/// compiled graph's runtime variables. Saved as JSON in the image dir so a
/// later restore-only run can rebuild the root and restore without Docker
/// knowing the container is gone.
public struct ContainerFacts: Sendable, Hashable, Codable {
    public var id: String
    /// Without Docker's leading `/`.
    public var name: String
    public var pid: Int
    public var running: Bool
    public var status: String
    /// The storage driver Docker reports (`GraphDriver.Name`).
    public var driver: String
    /// `GraphDriver.Data` (LowerDir, UpperDir, WorkDir, MergedDir for overlay).
    public var graphDriverData: [String: String]
    public var hostnamePath: String
    public var hostsPath: String
    public var resolvConfPath: String
    /// The root the driver mounts (overlay MergedDir, aufs mnt, vfs dir).
    public var rootfs: String
    /// The container's cgroup v1 mounts, each of which CRIU must be told is external.
    public var cgroupMounts: [CgroupMount]
    /// aufs branches, top first (`path=rw`, `path=ro+wh`, ...), if the driver is aufs.
    public var aufsBranches: [String]
    /// Docker's data root the facts were read against.
    public var dockerHome: String
    /// The command line of the container's init (`/proc/<pid>/cmdline`),
    /// recorded by `inspect` so `write-pidfile` can check that the pid CRIU
    /// restored runs the container's command. Nil when not known.
    public var initCommandLine: [String]?
    /// Migrate: the source's configuration from the same `docker inspect`
    /// (image id, command, env, …), which the target is created from.
    public var configuration: SourceConfiguration?
    /// Migrate: the container created on the target engine (bound after create-target).
    public var target: TargetContainer?
    /// Migrate: the files the source deleted from its image (bound after capture-changes).
    public var deletedPaths: [String]?
    /// Migrate: those of `deletedPaths` the source made again as folders
    /// (opaque folders on an overlay2 target; bound after capture-changes).
    public var recreatedPaths: [String]?
    /// Migrate: the mode of the source's root as `stat` printed it (octal, bound after capture-changes).
    public var rootMode: String?
    /// Migrate: the run that inspected the container (bound by inspect); its
    /// staging folder is `<imageDir>/<run id>`, so a resume finds its own.
    public var runID: String?
    /// Migrate with `archive`: the source's engine, kernel and CRIU versions
    /// for the manifest (bound by check-target, before the freeze).
    public var sourceVersions: SourceVersions?

    public init(
        id: String, name: String, pid: Int, running: Bool, status: String, driver: String,
        graphDriverData: [String: String], hostnamePath: String, hostsPath: String, resolvConfPath: String,
        rootfs: String, cgroupMounts: [CgroupMount], aufsBranches: [String] = [], dockerHome: String,
        initCommandLine: [String]? = nil, configuration: SourceConfiguration? = nil
    ) {
        self.id = id
        self.name = name
        self.pid = pid
        self.running = running
        self.status = status
        self.driver = driver
        self.graphDriverData = graphDriverData
        self.hostnamePath = hostnamePath
        self.hostsPath = hostsPath
        self.resolvConfPath = resolvConfPath
        self.rootfs = rootfs
        self.cgroupMounts = cgroupMounts
        self.aufsBranches = aufsBranches
        self.dockerHome = dockerHome
        self.initCommandLine = initCommandLine
        self.configuration = configuration
    }

    /// True for a run id as the executor makes them (`20261130T175253Z-1a2b`):
    /// 1-64 ASCII letters, digits and `-`, not starting with `-`, so it is
    /// one plain path component. A journaled one that is not stays unbound.
    public static func isRunID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == UInt8(ascii: "-") }
    }

    /// The value of a runtime variable, or nil if the facts cannot give it.
    public func value(of variable: Variable) -> String? {
        switch variable {
        case .containerID: id
        case .containerName: name
        case .containerPid: String(pid)
        case .containerDir: dockerHome + "/containers/" + id
        case .containerRootfs: rootfs
        case .rootfsLowerDir: graphDriverData["LowerDir"]
        case .rootfsUpperDir: graphDriverData["UpperDir"]
        case .rootfsWorkDir: graphDriverData["WorkDir"]
        case .rootfsBranches: aufsBranches.isEmpty ? nil : aufsBranches.joined(separator: ":")
        case .rootfsWritable: driver == "vfs" ? (rootfs.isEmpty ? nil : rootfs) : graphDriverData["UpperDir"]
        case .sourceRootMode: rootMode
        case .runID: runID.flatMap { Self.isRunID($0) ? $0 : nil }
        case .sourceImage: configuration?.image
        case .targetID: target?.id
        case .targetDriver: target?.driver
        case .targetRootfs: target.flatMap { $0.rootfs.isEmpty ? nil : $0.rootfs }
        case .dockerHome, .imageDir, .planName, .environment, .archiveUnpackBound: nil
        }
    }
}

/// One cgroup v1 hierarchy bind-mounted into the container. Docker removes the
/// host directory when the container exits, so the pair is saved at inspect
/// time; `criu restore --manage-cgroups` re-creates the directory before it
/// binds it again.
public struct CgroupMount: Sendable, Hashable, Codable {
    /// Mount point inside the container, e.g. `/sys/fs/cgroup/cpu`; also the label in the image.
    public var path: String
    /// The host directory bound there, e.g. `/sys/fs/cgroup/cpu/docker/<id>`.
    public var hostPath: String

    public init(path: String, hostPath: String) {
        self.path = path
        self.hostPath = hostPath
    }
}
