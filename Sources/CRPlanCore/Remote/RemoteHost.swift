/// A `Host` for an engine on another machine: every command runs there
/// through ssh, as the argv `SSHTarget.argv(running:)` builds (the same
/// function the dry run prints with), spawned by the local `base` host.
/// `run` takes either the plain argv or `commandLine(for:)`'s result (what
/// the executor prints) and runs it over ssh exactly once.
///
/// Only commands cross to the other machine. The journal, locks, clock and
/// the ssh children themselves stay local, so `process`, `lock`, `now` and
/// `sleep` are the base host's; file, mount and facts operations on the
/// remote side throw: target-side work is printed commands only.
public struct RemoteHost: Host {
    /// The local host that spawns ssh and keeps crplan's own state.
    public let base: any Host
    /// The machine, validated (destination, port, key, known hosts, options, multiplexing).
    public let target: SSHTarget
    /// The ssh client: `ssh` looked up in PATH, or an absolute path.
    public let ssh: String

    public init(base: any Host, target: SSHTarget, ssh: String = "ssh") {
        self.base = base
        self.target = target
        self.ssh = ssh
    }

    public var environment: [String: String] { base.environment }

    /// `ssh -F none -T -o BatchMode=yes -o StrictHostKeyChecking=yes … -- DESTINATION '<arg>' …`.
    /// An argv that cannot cross (a NUL byte, a remote line over
    /// `RemoteShellQuoting.maximumLineLength`) becomes `false` with the
    /// reason as its argument: it runs nothing, fails, and shows why
    /// wherever the command is printed; `run` refuses it with the reason.
    public func commandLine(for argv: [String]) -> [String] {
        do {
            return try remoteArgv(for: argv)
        } catch {
            return ["false", "crplan refused to run this over ssh: \(error)"]
        }
    }

    /// `commandLine(for:)`, throwing when `argv` cannot cross.
    public func remoteArgv(for argv: [String]) throws(HostError) -> [String] {
        do {
            return try target.argv(running: argv, ssh: ssh)
        } catch {
            throw .launchFailed(program: "ssh to \(target.destination)", message: error.description)
        }
    }

    /// True when `argv` is already a command line of this host (ssh, its
    /// options, `--`, the destination and one remote line), as the executor
    /// passes it after printing it: it then runs as is, never wrapped twice.
    public func isCommandLine(_ argv: [String]) -> Bool {
        let connection = target.connectionArgv(ssh: ssh)
        return argv.count == connection.count + 3 && argv.starts(with: connection)
            && argv[connection.count] == "--" && argv[connection.count + 1] == target.destination
    }

    public func run(_ invocation: CommandInvocation) async throws(HostError) -> CommandResult {
        try await base.run(try await remote(invocation))
    }

    public func run(
        _ invocation: CommandInvocation, onStart: @escaping @Sendable (StartedChild) async -> Void
    ) async throws(HostError) -> CommandResult {
        try await base.run(try await remote(invocation), onStart: onStart)
    }

    /// The invocation as the local ssh command (an argv that already is one
    /// runs as is; any other is wrapped, so nothing meant for the other
    /// machine runs here); the multiplexing folder is made first (0700,
    /// root's) so the shared connection can bind its socket.
    private func remote(_ invocation: CommandInvocation) async throws(HostError) -> CommandInvocation {
        if let directory = invocation.workingDirectory {
            throw .launchFailed(
                program: invocation.argv.first ?? "",
                message: "it would run in \(directory) on \(target.destination), but a command over ssh runs in the login folder; "
                    + "give folders as arguments"
            )
        }
        var local = invocation
        if !isCommandLine(invocation.argv) {
            local.argv = try remoteArgv(for: invocation.argv)
        }
        if let multiplexing = target.multiplexing {
            try await base.makeDirectory(at: multiplexing.controlDirectory, mode: 0o700)
        }
        return local
    }

    /// Pipelines run on this machine (each stage already through its
    /// side's `commandLine(for:)`): the base host runs them.
    public func runPipeline(_ pipeline: CommandPipeline) async throws(HostError) -> CommandResult {
        if let multiplexing = target.multiplexing {
            try await base.makeDirectory(at: multiplexing.controlDirectory, mode: 0o700)
        }
        return try await base.runPipeline(pipeline)
    }

    // MARK: Not on the remote side

    private func refused(_ operation: String, _ path: String) -> HostError {
        .io(
            operation: operation, path: "\(target.destination):\(path)",
            message: "the target machine is reached over ssh, where crplan acts only through printed commands"
        )
    }

    public func containerFacts(fromInspect result: CommandResult, reference: String, dockerHome: String) async throws(HostError) -> ContainerFacts {
        throw .docker(message: "the facts of `\(reference)` on \(target.destination) cannot be read from this machine's /proc and data root")
    }

    public func fileType(at path: String) async throws(HostError) -> FileType? { throw refused("inspect", path) }
    public func fileSize(at path: String) async throws(HostError) -> Int? { throw refused("size", path) }
    public func readFile(at path: String) async throws(HostError) -> [UInt8] { throw refused("read", path) }
    public func makeDirectory(at path: String, mode: UInt16) async throws(HostError) { throw refused("make directory", path) }
    public func writeFileAtomically(at path: String, contents: [UInt8], mode: UInt16) async throws(HostError) {
        throw refused("write", path)
    }
    public func appendDurably(to path: String, contents: [UInt8]) async throws(HostError) { throw refused("append to", path) }
    public func truncateFile(at path: String, toLength length: Int) async throws(HostError) { throw refused("truncate", path) }
    public func move(from source: String, to destination: String) async throws(HostError) { throw refused("move", source) }
    public func removeFile(at path: String) async throws(HostError) { throw refused("remove", path) }
    public func removeEmptyDirectory(at path: String) async throws(HostError) { throw refused("remove directory", path) }
    public func listDirectory(at path: String) async throws(HostError) -> [String] { throw refused("list", path) }
    public func mountTable() async throws(HostError) -> [MountEntry] { throw refused("read the mount table of", "/proc/self/mountinfo") }
    public func unmount(_ path: String) async throws(HostError) { throw refused("unmount", path) }

    // MARK: Local

    /// The local process: the children crplan journals are the local ssh clients.
    public func process(_ pid: Int) async -> RunningProcess? { await base.process(pid) }
    /// The ssh children and what they leave run here, so their groups are local too.
    public func processes(inGroup groupID: Int) async -> [RunningProcess] { await base.processes(inGroup: groupID) }
    public func killProcessGroup(_ groupID: Int) async throws(HostError) { try await base.killProcessGroup(groupID) }
    /// Locks are local files in crplan's state dir.
    public func lock(_ path: String) async throws(HostError) -> any HostLock { try await base.lock(path) }
    public func now() async -> Timestamp { await base.now() }
    public func sleep(for duration: Duration) async { await base.sleep(for: duration) }
}
