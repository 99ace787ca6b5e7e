/// The one boundary where crplan touches the machine: every process it
/// starts, every file it reads or writes, every mount, lock and clock read.
///
/// The executor above it is host-agnostic, so its state machine runs in
/// unit tests against a recording test double; `CRPlanHost` implements it
/// for real (swift-subprocess, mountinfo, flock, /proc, `docker inspect`).
///
/// Contract for every implementation:
/// - Commands are argv arrays, run without a shell, killed at their timeout.
/// - Paths are absolute. Files are opened without following symbolic links
///   (`O_NOFOLLOW`); a symbolic link where crplan expects a file or directory
///   is an error (`HostError.symbolicLink`), never followed.
/// - "Durable" means fsynced: the file, and its folder after a file was
///   created, renamed or removed in it.
/// - Methods throw `HostError` and nothing else; they never print.
/// - File sizes come from lstat (`FileSizeReading.fileSize(at:)`), so the
///   image readers can refuse an oversized file before reading it.
public protocol Host: FileSizeReading {
    /// The environment crplan runs in (for `${env.NAME}` values the planner left unresolved).
    var environment: [String: String] { get }

    // MARK: Commands

    /// Runs `invocation.argv` (no shell), waits for it or its timeout, writes
    /// its output to the log files named in the invocation, and returns how
    /// it ended with the captured output. A program that exits non-zero is a
    /// result, not an error; only a program that cannot start throws.
    func run(_ invocation: CommandInvocation) async throws(HostError) -> CommandResult

    /// `run(invocation)`, calling `onStart` with the child's pid and start
    /// time once it exists and before waiting for it. The default ignores
    /// `onStart` (hosts that cannot tell).
    func run(
        _ invocation: CommandInvocation, onStart: @escaping @Sendable (StartedChild) async -> Void
    ) async throws(HostError) -> CommandResult

    /// Decodes what a step's `docker inspect --type container -- REF`
    /// command printed (the executor ran it with `run`, as the dry run shows
    /// it) into facts: Id, Name, State.Pid/Running/Status,
    /// GraphDriver.Name/Data, HostnamePath, HostsPath, ResolvConfPath; plus
    /// the root the driver mounts (for vfs: `<home>/vfs/dir/<mount-id>`, read
    /// from Docker's data root), and, when the container runs, the cgroup v1
    /// controller mounts read from `/proc/<pid>/mountinfo`. Spawns nothing.
    /// Throws `.containerNotFound` / `.ambiguousContainer` when the command's
    /// output says so, `.docker` for anything else it cannot use.
    func containerFacts(fromInspect result: CommandResult, reference: String, dockerHome: String) async throws(HostError) -> ContainerFacts

    /// The argv that runs `argv` on this host as crplan spawns it: the
    /// identity for the local machine (the default); a host reached over
    /// ssh wraps it in its `ssh` command line. The dry run prints through
    /// the same function, so what it shows is what runs.
    func commandLine(for argv: [String]) -> [String]

    /// Runs programs connected by pipes on crplan's machine (each stage's
    /// argv already passed through its side's `commandLine(for:)`), killing
    /// every stage at the pipeline's timeout. The result's status is
    /// success, or the blamed stage's end (`.timedOut` on a timeout), with
    /// that stage's standard error; only a pipeline that cannot start throws.
    func runPipeline(_ pipeline: CommandPipeline) async throws(HostError) -> CommandResult

    // MARK: Files

    /// What is at `path` (lstat, not following a final link), or nil if nothing is.
    func fileType(at path: String) async throws(HostError) -> FileType?

    /// The whole content of a regular file (opened `O_NOFOLLOW`).
    func readFile(at path: String) async throws(HostError) -> [UInt8]

    /// Creates `path` and any missing parents with `mode` (crplan passes
    /// 0o700), fsyncing each parent folder. An existing directory is fine.
    func makeDirectory(at path: String, mode: UInt16) async throws(HostError)

    /// Replaces `path` atomically: write a temp file in the same folder,
    /// fsync it, rename it over `path`, fsync the folder.
    func writeFileAtomically(at path: String, contents: [UInt8], mode: UInt16) async throws(HostError)

    /// Appends `contents` to `path` (created 0600 if missing, opened
    /// `O_APPEND|O_NOFOLLOW`) and fsyncs the file before returning; fsyncs
    /// the folder too when the file was created. Partial writes are errors.
    func appendDurably(to path: String, contents: [UInt8]) async throws(HostError)

    /// Appends `contents` to `path` as `appendDurably` does, but without
    /// the fsync of the file: the bytes are in the page cache when it
    /// returns, so any later reader (a resume after crplan was killed) sees
    /// them, while a machine crash may lose them. The default is
    /// `appendDurably` (a host that cannot tell the two apart syncs).
    func appendWithoutSync(to path: String, contents: [UInt8]) async throws(HostError)

    /// Cuts `path` to `length` bytes and fsyncs it (drops a torn journal line).
    func truncateFile(at path: String, toLength length: Int) async throws(HostError)

    /// Renames `source` to `destination` (same file system; fails if
    /// `destination` exists) and fsyncs the folders.
    func move(from source: String, to destination: String) async throws(HostError)

    /// Removes a file (not a directory) and fsyncs its folder.
    func removeFile(at path: String) async throws(HostError)

    /// Removes an empty directory (rmdir: fails when it holds anything, or,
    /// for a cgroup, when a task is still in it).
    func removeEmptyDirectory(at path: String) async throws(HostError)

    /// The names in a directory (no `.`/`..`), in any order.
    func listDirectory(at path: String) async throws(HostError) -> [String]

    /// Restore from an archive: accepts the archive `open-archive` unpacked
    /// at `tree` — its `manifest.json` read bounded, the tree walked with
    /// lstat (never following a link) and every file's size and SHA-256
    /// compared with the manifest, nothing unlisted or missing; the manifest of the size the checked listing gave — then makes
    /// its folders 0700 and files 0600; returns the manifest. The same
    /// checks as `crplan import`. Throws `.io` naming the first problem.
    func verifyUnpackedArchive(at tree: String, listedManifestSize: Int64?, limits: ArchiveLimits) async throws(HostError) -> ArchiveManifest

    /// Bytes an unprivileged writer may still use on the file system holding
    /// `path` (statvfs `f_bavail × f_frsize`), or nil when this host cannot
    /// tell (the default). Bounds what crplan unpacks before it checks it.
    func availableBytes(at path: String) async throws(HostError) -> Int64?

    /// Throws unless only root could change what is at or above the folder
    /// `path` (the check every write of crplan's applies: root-owned, not
    /// group or world writable, links only root's). Lets a step refuse a
    /// folder before anything irreversible, not only when it writes there.
    /// The default (a host that cannot tell) accepts.
    func checkTrustedDirectory(at path: String) async throws(HostError)

    // MARK: Mounts

    /// The mount table of crplan's mount namespace (`/proc/self/mountinfo`).
    func mountTable() async throws(HostError) -> [MountEntry]

    /// Unmounts `path` (`umount2(path, 0)`, no lazy detach).
    func unmount(_ path: String) async throws(HostError)

    // MARK: Processes

    /// The live process `pid` (not a zombie), or nil if there is none.
    func process(_ pid: Int) async -> RunningProcess?

    /// The live processes (not zombies) whose process group is `groupID`,
    /// each with its start time and state, read from `/proc`.
    func processes(inGroup groupID: Int) async -> [RunningProcess]

    /// Sends SIGKILL to every process of the group `groupID` (`kill(-groupID, SIGKILL)`).
    /// A group with no process left is not an error.
    func killProcessGroup(_ groupID: Int) async throws(HostError)

    // MARK: Locks

    /// Takes an exclusive, non-blocking `flock` on `path` (created 0600) and
    /// writes crplan's pid into it. Fails at once with `.locked(path,
    /// holderPID:)`, naming the pid the holder wrote, if another process has it.
    func lock(_ path: String) async throws(HostError) -> any HostLock

    // MARK: Time

    /// Wall-clock time.
    func now() async -> Timestamp

    /// Waits; the test double only advances its clock.
    func sleep(for duration: Duration) async
}

extension Host {
    public func commandLine(for argv: [String]) -> [String] {
        argv
    }

    public func verifyUnpackedArchive(at tree: String, listedManifestSize: Int64?, limits: ArchiveLimits) async throws(HostError) -> ArchiveManifest {
        throw .io(operation: "accept the unpacked archive", path: tree, message: "this host cannot verify an unpacked archive")
    }

    public func appendWithoutSync(to path: String, contents: [UInt8]) async throws(HostError) {
        try await appendDurably(to: path, contents: contents)
    }

    public func availableBytes(at path: String) async throws(HostError) -> Int64? {
        nil
    }

    public func checkTrustedDirectory(at path: String) async throws(HostError) {}

    public func run(
        _ invocation: CommandInvocation, onStart: @escaping @Sendable (StartedChild) async -> Void
    ) async throws(HostError) -> CommandResult {
        try await run(invocation)
    }

    /// True when something is mounted exactly at `path`.
    public func isMountPoint(_ path: String) async throws(HostError) -> Bool {
        try await mountEntry(at: path) != nil
    }

    /// The topmost mount at `path`, if any (the last one in the table wins).
    public func mountEntry(at path: String) async throws(HostError) -> MountEntry? {
        let normalized = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        return try await mountTable().last { $0.mountPoint == normalized }
    }

    /// True when a regular file exists at `path`.
    public func fileExists(_ path: String) async throws(HostError) -> Bool {
        try await fileType(at: path) == .regular
    }

    /// The file as UTF-8 text (invalid bytes replaced).
    public func readText(at path: String) async throws(HostError) -> String {
        String(decoding: try await readFile(at: path), as: UTF8.self)
    }
}
