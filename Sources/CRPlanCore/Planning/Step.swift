/// The kinds of step a compiled plan can hold. The raw value is the step id
/// printed by `crplan plan` and journaled by `crplan apply`.
public enum StepKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Resolve the container and record its facts (read-only).
    case inspect
    /// Restore-only plans: read the facts the checkpoint run saved in the image dir.
    case loadCheckpoint = "load-checkpoint"
    /// `criu.preDump`: the kernel must track memory changes
    /// (`criu check --feature mem_dirty_track`), checked before anything is frozen.
    case checkMemoryTracking = "check-memory-tracking"
    /// `criu pre-dump --track-mem` number 1…10 (`criu.preDump.iterations`),
    /// each into `<imageDir>/pre-dump-<n>`; see `StepKind.preDumps`.
    case preDump1 = "pre-dump-1"
    case preDump2 = "pre-dump-2"
    case preDump3 = "pre-dump-3"
    case preDump4 = "pre-dump-4"
    case preDump5 = "pre-dump-5"
    case preDump6 = "pre-dump-6"
    case preDump7 = "pre-dump-7"
    case preDump8 = "pre-dump-8"
    case preDump9 = "pre-dump-9"
    case preDump10 = "pre-dump-10"
    /// `criu dump` (external mode).
    case dump
    /// The dump log must say `Dumping finished successfully`.
    case verifyDumpLog = "verify-dump-log"
    /// Wait until Docker marks the container exited and unmounts its root.
    case waitContainerExited = "wait-container-exited"
    /// Mount the container's root filesystem again for restore.
    case rebuildRootfs = "rebuild-rootfs"
    /// `criu restore` (external mode); verifies `Restore finished successfully`.
    case restore
    /// Check the restored pid and write the plan's pidfile atomically.
    case writePidfile = "write-pidfile"
    /// `docker checkpoint create` (native mode).
    case checkpointCreate = "checkpoint-create"
    /// `docker start --checkpoint` (native mode).
    case startFromCheckpoint = "start-from-checkpoint"
    /// Restore from an archive (`operation: restore` with `archive`): the
    /// archive checked (a root-owned regular file in root-owned folders),
    /// the free space checked against its bounded decompressed size, then
    /// listed, unpacked into this run's new staging dir and verified against
    /// its manifest; its facts and configuration journaled as the run's facts.
    case openArchive = "open-archive"
    /// Migrate: the target engine answers, runs `--experimental`, the name is free, the image is there or transferable.
    case checkTarget = "check-target"
    /// Checkpoint with `archive`: the archive path is new and its folder
    /// trusted, the staging dir holds no checkpoint of this name.
    case checkArchive = "check-archive"
    /// Migrate: `docker save <image id> | docker load` from the source engine to the target.
    case transferImage = "transfer-image"
    /// Migrate: `docker create` on the target from the source's configuration.
    case createTarget = "create-target"
    /// Migrate: the source's file changes (overlay upper dir) as a tar and a list of deleted files.
    case captureChanges = "capture-changes"
    /// Migrate or checkpoint with `archive`: the portable archive (checkpoint, file
    /// changes, the source's configuration and facts, manifest) written by
    /// `tar | zstd` to a new file at that path.
    case writeArchive = "write-archive"
    /// Migrate over ssh: the staging dir (checkpoint and captured changes)
    /// streamed to the same path on the target machine (`tar | zstd | ssh … tar --zstd -x`).
    case sendStaging = "send-staging"
    /// Migrate over ssh: every staged file's sha256, computed on the source,
    /// checked on the target (`sha256sum --check`) before anything is applied.
    case verifyStaging = "verify-staging"
    /// Migrate: the changes applied to the target container's root, which is made 0755.
    case applyChanges = "apply-changes"
    /// Migrate: the checkpoint copied where the target engine looks for it.
    case copyCheckpoint = "copy-checkpoint"
    /// Migrate: `docker start --checkpoint` on the target.
    case startTarget = "start-target"
    /// Migrate: the target runs the container's command; the source is stopped (move) or running (copy).
    case verifyMigration = "verify-migration"
    /// Migrate: the moved source container kept stopped or removed, as the plan says.
    case finalizeSource = "finalize-source"
}

/// Which Docker engine a command talks to (`operation: migrate` has two).
/// A step never knows whether an engine is local or remote: the command
/// names the side, and the side's settings say how to reach it.
public enum EngineSide: String, Sendable, Hashable, Codable {
    /// The engine the plan's container runs on.
    case source
    /// `target.docker` of a migrate plan.
    case target
}

/// One argument of a compiled command line: a template, or a list that only
/// the live container can give (its cgroup v1 mounts, each of which must be
/// declared external to CRIU).
public enum Argument: Sendable, Hashable, Codable, CustomStringConvertible {
    case value(Template)
    /// Expands to one `--ext-mount-map` pair per cgroup v1 mount found by
    /// `inspect`: `<mnt>:<mnt>` at dump (the mount point is the image's label),
    /// `<mnt>:<host cgroup dir>` at restore.
    case cgroupExtMounts(CriuPhase)
    /// Migrate: expands to the `docker create` options that carry the source
    /// container's configuration (cmd, entrypoint, env, workdir, user, labels,
    /// hostname, restart policy, capabilities, security options, ulimits,
    /// tmpfs, `--network none`), read from its `docker inspect`; each volume
    /// or bind mount from `mounts` (`target.mounts`), else refused by name.
    case sourceConfiguration(mounts: [TargetMount])
    /// Migrate: expands to what follows the image on `docker create` (the
    /// entrypoint's arguments, then the source's command).
    case sourceCommand
    /// Migrate: expands to `find`'s starting point and expression selecting,
    /// below `root`, each file the source deleted (`DeletedPaths.findArguments`),
    /// once capture-changes has bound the list.
    case deletedPaths(root: Template)
    /// Migrate to an overlay2 target: expands to `find`'s starting point and
    /// expression for one part of the deletions (`OverlayDeletions`) below
    /// `root`, once capture-changes and create-target have bound the deleted
    /// files and the target's driver; on another driver it selects nothing.
    case overlayDeletions(OverlayDeletionPart, root: Template)

    public var description: String {
        switch self {
        case .value(let template): template.description
        case .sourceConfiguration: "${source.config...}"
        case .sourceCommand: "${source.command...}"
        case .deletedPaths(let root): "\(root) ${source.deleted...}"
        case .overlayDeletions(let part, let root): "\(root) ${source.deleted.\(part.rawValue)...}"
        case .cgroupExtMounts(.dump): "--ext-mount-map ${cgroup.mount}:${cgroup.mount}..."
        case .cgroupExtMounts(.restore): "--ext-mount-map ${cgroup.mount}:${cgroup.hostPath}..."
        }
    }

    // Codable compactly, so that argv reads as a list of strings in JSON:
    // a value is its `${...}` spelling, the expansion is
    // `{"expand": "cgroupExtMounts", "phase": "dump"|"restore"}`.
    private enum CodingKeys: String, CodingKey {
        case expand
        case phase
        case mounts
        case root
        case part
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let template = try? single.decode(Template.self) {
            self = .value(template)
            return
        }
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        let name = try keyed.decode(String.self, forKey: .expand)
        if name == "sourceConfiguration" {
            self = .sourceConfiguration(mounts: try keyed.decodeIfPresent([TargetMount].self, forKey: .mounts) ?? [])
            return
        }
        if name == "sourceCommand" {
            self = .sourceCommand
            return
        }
        if name == "deletedPaths" {
            self = .deletedPaths(root: try keyed.decode(Template.self, forKey: .root))
            return
        }
        if name == "overlayDeletions" {
            self = .overlayDeletions(try keyed.decode(OverlayDeletionPart.self, forKey: .part), root: try keyed.decode(Template.self, forKey: .root))
            return
        }
        guard name == "cgroupExtMounts" else {
            throw DecodingError.dataCorruptedError(forKey: .expand, in: keyed, debugDescription: "unknown expansion \(name)")
        }
        self = .cgroupExtMounts(try keyed.decode(CriuPhase.self, forKey: .phase))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let template):
            var single = encoder.singleValueContainer()
            try single.encode(template)
        case .cgroupExtMounts(let phase):
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encode("cgroupExtMounts", forKey: .expand)
            try keyed.encode(phase, forKey: .phase)
        case .sourceConfiguration(let mounts):
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encode("sourceConfiguration", forKey: .expand)
            if !mounts.isEmpty { try keyed.encode(mounts, forKey: .mounts) }
        case .sourceCommand:
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encode("sourceCommand", forKey: .expand)
        case .deletedPaths(let root):
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encode("deletedPaths", forKey: .expand)
            try keyed.encode(root, forKey: .root)
        case .overlayDeletions(let part, let root):
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encode("overlayDeletions", forKey: .expand)
            try keyed.encode(part, forKey: .part)
            try keyed.encode(root, forKey: .root)
        }
    }
}

/// Which part of the deletions on an overlay2 target an argument expands to.
public enum OverlayDeletionPart: String, Sendable, Hashable, Codable {
    /// The whiteouts `find` makes (`-exec mknod … ;` clauses).
    case whiteouts
    /// The folders made again, which are set opaque.
    case opaque
    /// The whiteouts and opaque folders, counted after.
    case check
}

/// Which CRIU action a command belongs to (ext-mount maps differ between them).
public enum CriuPhase: String, Sendable, Hashable, Codable {
    case dump
    case restore
}

/// A command line a step runs, as argument templates: never a shell string.
/// Everything about how it runs (working directory, polling) is here, so the
/// dry run prints it and the executor has no per-kind knowledge of it.
public struct CommandTemplate: Sendable, Hashable, Codable {
    /// Why it runs, for the dry run and the logs.
    public var purpose: String
    public var arguments: [Argument]
    /// Checks the executor makes before running the command, in order
    /// (skip it when its effect is already there, refuse when a path is missing).
    public var guards: [CommandGuard]
    /// Where it runs; nil keeps crplan's own working directory. CRIU writes
    /// temporary folders into its working directory, so dump and restore run
    /// in the image dir.
    public var workingDirectory: Template?
    /// What the executor reads from its standard output.
    public var output: CommandOutput
    /// When set, the command is run again after this interval until the
    /// step's checks hold or its time runs out (a polling command).
    public var pollInterval: PlanDuration?
    /// The engine a docker command talks to; nil for a plan with one engine
    /// (and for commands that are not docker's, which run where crplan runs).
    public var side: EngineSide?

    public init(
        purpose: String, arguments: [Argument], guards: [CommandGuard] = [], workingDirectory: Template? = nil,
        output: CommandOutput = .ignored, pollInterval: PlanDuration? = nil, side: EngineSide? = nil
    ) {
        self.purpose = purpose
        self.arguments = arguments
        self.guards = guards
        self.workingDirectory = workingDirectory
        self.output = output
        self.pollInterval = pollInterval
        self.side = side
    }
}

/// What crplan makes of a command's standard output.
public enum CommandOutput: String, Sendable, Hashable, Codable {
    /// Only logged.
    case ignored
    /// `docker inspect` JSON of one container, decoded into `ContainerFacts`.
    case containerInspect = "container-inspect"
    /// Piped into the next command's standard input (a pipeline, such as
    /// `docker save | docker load`); the commands run together, and
    /// consecutive piped commands are one pipeline of several stages
    /// (`tar | zstd | ssh …`). Each stage runs on its side's host.
    case pipedToNext = "piped-to-next"
    /// Migrate: the target layer's `mount-id` (one line), which locates the target container's root.
    case targetMountID = "target-mount-id"
    /// Migrate: `docker diff` of the source (`A`/`C`/`D` and a path a line); its `D` lines are the deleted files.
    case fileChanges = "file-changes"
    /// Migrate: `stat --format=%a` of the source's root (octal mode).
    case rootMode = "root-mode"
    /// Migrate with `archive`: `sha256sum` lines (digest, two spaces, path) of the archive's members.
    case fileDigests = "file-digests"
    /// Migrate: one `x` per whiteout and opaque folder found on an overlay2 target.
    case overlayDeletionCount = "overlay-deletion-count"
    /// Migrate: `realpath --canonicalize-missing` of the staging dir, then of
    /// each Docker data root (a line each), on the side that makes the folder.
    case stagingRealPath = "staging-real-path"
    /// Migrate with `archive`: the source engine's version (`docker version`), one line, for the manifest.
    case engineVersion = "engine-version"
    /// Migrate with `archive`: `uname --kernel-release` of the source machine, for the manifest.
    case kernelRelease = "kernel-release"
    /// Migrate with `archive`: `criu --version` (its `Version:` line), for the manifest.
    case criuVersion = "criu-version"
    /// Restore from an archive: `stat --format=%F:%u:%a:%s` lines of the
    /// archive's folders and of the archive (type, owner, mode, size).
    case fileStatus = "file-status"
    /// Restore from an archive: `df --output=avail --block-size=1` (a header, then the free bytes).
    case freeSpace = "free-space"
    /// Restore from an archive: GNU tar's verbose listing, checked by `TarListing` before anything is extracted.
    case archiveListing = "archive-listing"
}

/// Paths a step's behaviour uses beyond its commands' argv, filled in by the
/// planner and bound like the argv, so a step is self-describing data and the
/// dry run shows every file a run touches.
public struct StepPaths: Sendable, Hashable, Codable {
    /// The checkpoint's image dir.
    public var imageDir: Template?
    /// The facts file `inspect` saves and `load-checkpoint` reads.
    public var factsFile: Template?
    /// Docker's data root, for reading what `docker inspect` points into.
    public var dockerHome: Template?
    /// The plan's pidfile (`restore.pidfile`).
    public var pidfile: Template?
    /// The pidfile `criu restore --pidfile` writes.
    public var criuPidfile: Template?
    /// The CRIU log the step's checks read.
    public var log: Template?
    /// The folder holding the checkpoint's images, measured after the step
    /// succeeds (CRIU's statistics and the size, journaled with the step):
    /// the image dir (external mode), or Docker's checkpoint folder
    /// `<docker home>/containers/<id>/checkpoints/<name>` (native mode), or
    /// the staged `<staging dir>/<name>` (migrate, checkpoint with `archive`).
    public var measuredImages: Template?
    /// Migrate: the list of added and changed paths crplan writes for tar (capture-changes).
    public var changeList: Template?
    /// Migrate or checkpoint with `archive`: the archive to keep (check-target / check-archive refuse an existing one; write-archive makes it).
    public var archive: Template?
    /// Migrate with `archive`: the folder write-archive lays the archive's members out in.
    public var archiveTree: Template?

    public init(
        imageDir: Template? = nil, factsFile: Template? = nil, dockerHome: Template? = nil, pidfile: Template? = nil,
        criuPidfile: Template? = nil, log: Template? = nil, measuredImages: Template? = nil, changeList: Template? = nil,
        archive: Template? = nil, archiveTree: Template? = nil
    ) {
        self.imageDir = imageDir
        self.factsFile = factsFile
        self.dockerHome = dockerHome
        self.pidfile = pidfile
        self.criuPidfile = criuPidfile
        self.log = log
        self.measuredImages = measuredImages
        self.changeList = changeList
        self.archive = archive
        self.archiveTree = archiveTree
    }

    /// Each path with `transform` applied.
    public func mapTemplates<E: Error>(_ transform: (Template) throws(E) -> Template) throws(E) -> StepPaths {
        StepPaths(
            imageDir: try imageDir.map(transform), factsFile: try factsFile.map(transform),
            dockerHome: try dockerHome.map(transform), pidfile: try pidfile.map(transform),
            criuPidfile: try criuPidfile.map(transform), log: try log.map(transform),
            measuredImages: try measuredImages.map(transform), changeList: try changeList.map(transform),
            archive: try archive.map(transform), archiveTree: try archiveTree.map(transform)
        )
    }
}

/// What undoing a step means during rollback.
public enum UndoAction: Sendable, Hashable, Codable {
    /// Read-only or idempotent: nothing to undo.
    case nothing
    /// Unmount what the step mounted (only if crplan mounted it).
    case unmount(Template)
    /// Remove the file the step wrote (only if crplan wrote it).
    case removeFile(Template)
    /// Never undone; the reason is printed (e.g. the images are the only copy of the workload).
    case irreversible(String)
    /// Undone by running these commands in order (migrate: remove the target
    /// container; start the source again from its checkpoint).
    case commands([CommandTemplate])

    // Codable as `{"action": "unmount", "path": …}` / `{"action": "irreversible", "reason": …}`
    // / `{"action": "commands", "commands": […]}`.
    private enum CodingKeys: String, CodingKey {
        case action, path, reason, commands
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .action) {
        case "nothing": self = .nothing
        case "unmount": self = .unmount(try container.decode(Template.self, forKey: .path))
        case "remove-file": self = .removeFile(try container.decode(Template.self, forKey: .path))
        case "irreversible": self = .irreversible(try container.decode(String.self, forKey: .reason))
        case "commands": self = .commands(try container.decode([CommandTemplate].self, forKey: .commands))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .action, in: container, debugDescription: "unknown undo action \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .nothing:
            try container.encode("nothing", forKey: .action)
        case .unmount(let path):
            try container.encode("unmount", forKey: .action)
            try container.encode(path, forKey: .path)
        case .removeFile(let path):
            try container.encode("remove-file", forKey: .action)
            try container.encode(path, forKey: .path)
        case .irreversible(let reason):
            try container.encode("irreversible", forKey: .action)
            try container.encode(reason, forKey: .reason)
        case .commands(let commands):
            try container.encode("commands", forKey: .action)
            try container.encode(commands, forKey: .commands)
        }
    }
}

/// One unit of work in a compiled plan.
///
/// Plain data, like a swift-driver job: the planner builds it, the dry run
/// prints it, the executor runs it; the three read the same values.
public struct Step: Sendable, Hashable, Codable, Identifiable {
    public var id: String { kind.rawValue }
    public var kind: StepKind
    public var summary: String
    public var dependsOn: [StepKind]
    /// Commands run whatever the storage driver, before the chosen alternative's.
    public var commands: [CommandTemplate]
    /// Per-driver commands (only `rebuild-rootfs` has them): the executor runs
    /// the alternative whose drivers include the inspected driver and refuses
    /// when none does. See `Step.commands(for:)`.
    public var alternatives: [DriverAlternative]
    /// Files this step reads that an earlier step or run left (paths as templates).
    public var inputs: [Template]
    /// Files and state this step leaves behind (paths as templates).
    public var produces: [Template]
    /// Conditions that must hold when the step is done (`wait-container-exited`
    /// polls until they hold); the executor fails the step otherwise.
    public var checks: [StepCheck]
    public var undo: UndoAction
    /// True when a success of this step must never be undone (a dump whose
    /// images are the only copy of the workload, a restore whose process
    /// runs): past it the way on is forward (resume), never back.
    public var pointOfNoReturn: Bool
    /// Paths the step's behaviour reads or writes besides its argv.
    public var paths: StepPaths
    /// Time limit for the whole step.
    public var timeout: PlanDuration

    public init(
        kind: StepKind,
        summary: String,
        dependsOn: [StepKind],
        commands: [CommandTemplate] = [],
        alternatives: [DriverAlternative] = [],
        inputs: [Template] = [],
        produces: [Template] = [],
        checks: [StepCheck] = [],
        undo: UndoAction = .nothing,
        pointOfNoReturn: Bool = false,
        paths: StepPaths = StepPaths(),
        timeout: PlanDuration = Step.defaultTimeout
    ) {
        self.kind = kind
        self.summary = summary
        self.dependsOn = dependsOn
        self.commands = commands
        self.alternatives = alternatives
        self.inputs = inputs
        self.produces = produces
        self.checks = checks
        self.undo = undo
        self.pointOfNoReturn = pointOfNoReturn
        self.paths = paths
        self.timeout = timeout
    }

    /// The time limit of a step whose plan sets none.
    public static let defaultTimeout = PlanDuration(milliseconds: 600_000)
}
