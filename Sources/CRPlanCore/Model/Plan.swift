/// A validated checkpoint plan, version 1, with every default applied.
///
/// This is the contract between the linter (which builds it from YAML and
/// reports every problem) and the planner (which compiles it into steps).
/// Values that depend on the environment or the live container stay
/// `Template`s; the planner resolves what it can.
public struct Plan: Sendable, Hashable, Codable {
    public var version: Int
    public var name: String
    public var description: String?
    public var container: ContainerReference
    public var operation: Operation
    public var mode: Mode
    public var storage: Storage
    public var docker: DockerSettings
    public var criu: CRIUSettings
    public var imageDir: Template
    public var extMounts: [ExternalMount]
    public var restore: RestoreSettings
    public var timeouts: Timeouts
    /// `operation: migrate` only: the engine the container moves to.
    public var target: MigrationTarget?
    /// `operation: migrate` or `checkpoint`: where the portable archive of
    /// the migration or checkpoint is kept (an absolute path; never
    /// overwritten, never removed by a rollback).
    public var archive: Template?

    public init(
        version: Int = 1,
        name: String,
        description: String? = nil,
        container: ContainerReference,
        operation: Operation = .roundtrip,
        mode: Mode = .external,
        storage: Storage = Storage(),
        docker: DockerSettings = DockerSettings(),
        criu: CRIUSettings = CRIUSettings(),
        imageDir: Template = Plan.defaultImageDir,
        extMounts: [ExternalMount] = ExternalMount.dockerManagedFiles,
        restore: RestoreSettings = RestoreSettings(),
        timeouts: Timeouts = Timeouts(),
        target: MigrationTarget? = nil,
        archive: Template? = nil
    ) {
        self.version = version
        self.name = name
        self.description = description
        self.container = container
        self.operation = operation
        self.mode = mode
        self.storage = storage
        self.docker = docker
        self.criu = criu
        self.imageDir = imageDir
        self.extMounts = extMounts
        self.restore = restore
        self.timeouts = timeouts
        self.target = target
        self.archive = archive
    }

    /// `${env.CRIU_IMG_DIR:-${docker.home}/criu_img}/${container.id}`, as docker_cr.sh does.
    public static let defaultImageDir: Template = "${env.CRIU_IMG_DIR:-${docker.home}/criu_img}/${container.id}"

    /// `operation: migrate`'s `imageDir`, the folder of its staging dirs
    /// (each run stages in `<imageDir>/<run id>`): outside every Docker data
    /// root, which a migrate's `imageDir` must never be in.
    public static let defaultMigrateImageDir: Template = "/var/lib/crplan/staging"

    /// `operation: restore` with `archive`: the container is created and
    /// started from a portable archive (the two-job form's second job).
    public var restoresArchive: Bool { operation == .restore && archive != nil }

    /// The `imageDir` a plan gets when it writes none: a plan that stages
    /// its checkpoint in `<imageDir>/<run id>` (a migrate, a checkpoint with
    /// `archive`) gets the folder of staging dirs, outside every data root.
    public static func defaultImageDir(stages: Bool) -> Template {
        stages ? defaultMigrateImageDir : defaultImageDir
    }

    /// The operations that keep a portable archive when `archive` is set
    /// (`migrate` beside the move, `checkpoint` as the first job of the two-job form).
    public static func keepsArchive(_ operation: Operation) -> Bool {
        operation == .migrate || operation == .checkpoint
    }

    /// True when the run stages its checkpoint in `<imageDir>/<run id>`
    /// and captures the container's file changes: a migrate, or a
    /// checkpoint that keeps an `archive`.
    public var stagesCheckpoint: Bool {
        operation == .migrate || (operation == .checkpoint && archive != nil)
    }

    /// What a run does.
    public enum Operation: String, Sendable, Hashable, Codable, CaseIterable {
        case checkpoint
        case restore
        case roundtrip
        /// Checkpoint on one Docker engine, start from it on another (`target`);
        /// with `criu.leaveRunning` a copy, else a move.
        case migrate
    }

    /// Who drives CRIU: crplan directly (the wiki's procedure) or Docker.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// CRIU directly; Docker sees the container exit and never learns it runs again.
        case external
        /// `docker checkpoint create` / `docker start --checkpoint`.
        case native
    }
}

/// The storage driver the container's root filesystem uses.
public struct Storage: Sendable, Hashable, Codable {
    public enum Driver: String, Sendable, Hashable, Codable, CaseIterable {
        case auto
        case aufs
        case overlay
        case overlay2
        case vfs
    }

    /// Drivers Docker has that CRIU's external C/R cannot serve.
    public static let unsupportedDrivers = ["btrfs", "zfs", "devicemapper", "fuse-overlayfs", "windowsfilter"]

    public var driver: Driver

    public init(driver: Driver = .auto) {
        self.driver = driver
    }
}

/// How to reach Docker.
public struct DockerSettings: Sendable, Hashable, Codable {
    public var binary: Template
    public var home: Template
    /// `-H` for every docker command; nil leaves DOCKER_HOST / docker's default.
    public var host: Template?

    public init(
        binary: Template = DockerSettings.defaultBinary,
        home: Template = DockerSettings.defaultHome,
        host: Template? = nil
    ) {
        self.binary = binary
        self.home = home
        self.host = host
    }

    // Parsed once: the linter builds settings for every plan it reads.
    public static let defaultBinary: Template = "${env.DOCKER_BINARY:-docker}"
    public static let defaultHome: Template = "${env.DOCKER_HOME:-/var/lib/docker}"
}

/// CRIU's binary and the options of `criu dump` / `criu restore`.
public struct CRIUSettings: Sendable, Hashable, Codable {
    public var binary: Template
    public var logLevel: Int
    public var manageCgroups: Bool
    public var evasiveDevices: Bool
    public var leaveRunning: Bool
    public var tcpEstablished: Bool
    public var shellJob: Bool
    public var fileLocks: Bool
    public var extraArgs: [String]
    /// `criu.preDump`: iterative pre-dumps before the final dump (external mode).
    public var preDump: PreDump?

    public init(
        binary: Template = CRIUSettings.defaultBinary,
        logLevel: Int = 4,
        manageCgroups: Bool = true,
        evasiveDevices: Bool = true,
        leaveRunning: Bool = false,
        tcpEstablished: Bool = false,
        shellJob: Bool = false,
        fileLocks: Bool = false,
        extraArgs: [String] = [],
        preDump: PreDump? = nil
    ) {
        self.binary = binary
        self.logLevel = logLevel
        self.manageCgroups = manageCgroups
        self.evasiveDevices = evasiveDevices
        self.leaveRunning = leaveRunning
        self.tcpEstablished = tcpEstablished
        self.shellJob = shellJob
        self.fileLocks = fileLocks
        self.extraArgs = extraArgs
        self.preDump = preDump
    }

    public static let defaultBinary: Template = "${env.CRIU_BINARY:-criu}"

    /// Iterative migration (CRIU's "pre-dump"): `iterations` rounds of
    /// `criu pre-dump --track-mem` copy memory while the container runs, each
    /// into a numbered sub-folder of the image dir, so the final dump writes
    /// only the pages changed since the last one and freezes for less time.
    /// Needs the kernel's soft-dirty tracking.
    public struct PreDump: Sendable, Hashable, Codable {
        /// How many pre-dumps run before the dump, `1...maximumIterations`.
        public var iterations: Int

        public init(iterations: Int) {
            self.iterations = iterations
        }

        /// The most pre-dumps a plan may ask for: each is a step of its own.
        public static let maximumIterations = 10
    }
}

/// A bind mount whose source lies outside the container (`--ext-mount-map`).
public struct ExternalMount: Sendable, Hashable, Codable {
    /// Mount point inside the container.
    public var path: String
    /// The absolute path recorded for the mount in the image at dump
    /// (the `--ext-mount-map` key); the linter checks it like `path`.
    public var dump: String
    /// Host source bound there at restore.
    public var restore: Template

    public init(path: String, dump: String? = nil, restore: Template) {
        self.path = path
        self.dump = dump ?? path
        self.restore = restore
    }

    /// The files Docker bind-mounts into every container.
    public static let dockerManagedFiles: [ExternalMount] = [
        ExternalMount(path: "/etc/resolv.conf", restore: "${container.dir}/resolv.conf"),
        ExternalMount(path: "/etc/hosts", restore: "${container.dir}/hosts"),
        ExternalMount(path: "/etc/hostname", restore: "${container.dir}/hostname"),
    ]
}

/// Options of the restore side.
public struct RestoreSettings: Sendable, Hashable, Codable {
    public var pidfile: Template
    public var detach: Bool
    /// Native mode only: the Docker checkpoint to start from (`docker start --checkpoint`).
    public var checkpoint: String?

    public init(pidfile: Template = RestoreSettings.defaultPidfile, detach: Bool = true, checkpoint: String? = nil) {
        self.pidfile = pidfile
        self.detach = detach
        self.checkpoint = checkpoint
    }

    public static let defaultPidfile: Template = "${imageDir}/restore.pid"
}

/// Per-step time limits; nil means the executor's default.
public struct Timeouts: Sendable, Hashable, Codable {
    public var dump: PlanDuration?
    public var restore: PlanDuration?

    public init(dump: PlanDuration? = nil, restore: PlanDuration? = nil) {
        self.dump = dump
        self.restore = restore
    }
}
