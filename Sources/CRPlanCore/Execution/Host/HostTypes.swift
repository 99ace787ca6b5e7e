/// A command to run: an argv array (never a shell line), the time it may
/// take, and where the host saves what it prints.
public struct CommandInvocation: Sendable, Hashable, Codable {
    /// `argv[0]` is the program, looked up in `PATH` if it holds no `/`.
    public var argv: [String]
    /// The host kills the process (SIGKILL after SIGTERM) when it runs longer.
    public var timeout: Duration
    /// Files the host writes the full standard output / error to (created 0600).
    public var standardOutputLog: String?
    public var standardErrorLog: String?
    /// Where the command runs; nil keeps crplan's own working directory.
    /// CRIU writes temporary folders into its working directory, so crplan
    /// runs it in the image dir.
    public var workingDirectory: String?

    public init(
        argv: [String], timeout: Duration, standardOutputLog: String? = nil, standardErrorLog: String? = nil,
        workingDirectory: String? = nil
    ) {
        self.argv = argv
        self.timeout = timeout
        self.standardOutputLog = standardOutputLog
        self.standardErrorLog = standardErrorLog
        self.workingDirectory = workingDirectory
    }
}

/// How a command ended: the one model of a process's end, from the host's
/// runner (which reports `exited` or `signalled`, and a timeout beside it)
/// to the executor's `CommandResult` (where a timeout is `timedOut`).
public enum TerminationStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)
    /// The host killed it because it ran past its timeout.
    case timedOut

    public var isSuccess: Bool { self == .exited(0) }

    /// "exit status 1", "killed by signal 9", "timed out".
    public var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signalled(let signal): "killed by signal \(signal)"
        case .timedOut: "timed out"
        }
    }

    /// The end as a predicate, for "`cmd` …": "exited with status 1",
    /// "was killed by signal 15 (SIGTERM)", "timed out".
    public var ended: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let signal): "was killed by signal \(signal)\(Self.signalName(signal).map { " (\($0))" } ?? "")"
        case .timedOut: "timed out"
        }
    }

    static func signalName(_ signal: Int32) -> String? {
        [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM"][signal]
    }
}

/// What a finished command left: its status and (the tail of) its output.
public struct CommandResult: Sendable, Hashable, Codable {
    public var status: TerminationStatus
    /// Captured standard output; the host keeps its first MiB.
    public var standardOutput: String
    /// Captured standard error; the host may keep only the last 64 KiB.
    public var standardError: String
    /// True when the command printed more than the host keeps of its
    /// standard output (its beginning is kept): such output is never decoded.
    public var standardOutputTruncated: Bool

    public init(status: TerminationStatus, standardOutput: String = "", standardError: String = "", standardOutputTruncated: Bool = false) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardOutputTruncated = standardOutputTruncated
    }
}

/// What sits at a path, read without following a final symbolic link (lstat).
public enum FileType: String, Sendable, Hashable, Codable {
    case regular
    case directory
    case symbolicLink
    case other
}

/// One line of `/proc/self/mountinfo`.
public struct MountEntry: Sendable, Hashable, Codable {
    /// Where it is mounted (field 5, unescaped).
    public var mountPoint: String
    /// The root of the mount inside its file system (field 4, e.g. `/` or a bind source subdir).
    public var root: String
    /// File-system type (e.g. `overlay`, `aufs`, `ext4`).
    public var fileSystemType: String
    /// Mount source (e.g. `overlay`, `none`, `/dev/sda1`).
    public var source: String
    /// Per-superblock options, split at commas (e.g. `lowerdir=...`, `upperdir=...`).
    public var superOptions: [String]

    public init(mountPoint: String, root: String = "/", fileSystemType: String, source: String, superOptions: [String] = []) {
        self.mountPoint = mountPoint
        self.root = root
        self.fileSystemType = fileSystemType
        self.source = source
        self.superOptions = superOptions
    }

    /// The value of a `key=value` super option (the first one), or nil.
    public func superOption(_ key: String) -> String? {
        let prefix = key + "="
        return superOptions.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}

/// A live process as `/proc/<pid>` shows it.
public struct RunningProcess: Sendable, Hashable, Codable {
    public var pid: Int
    public var parentPID: Int
    /// `/proc/<pid>/cmdline` split at NUL bytes.
    public var commandLine: [String]
    /// Clock ticks after boot when it started (field 22 of `/proc/<pid>/stat`),
    /// if known: the same pid with another start time is another process.
    public var startTime: UInt64?
    /// Its process group (field 5 of `/proc/<pid>/stat`), if known.
    public var processGroupID: Int?
    /// The one-letter state of `/proc/<pid>/stat` (field 3: `R`, `S`, `D`,
    /// `T` stopped, `t` stopped by a tracer, ...), if known.
    public var state: String?

    public init(
        pid: Int, parentPID: Int, commandLine: [String], startTime: UInt64? = nil,
        processGroupID: Int? = nil, state: String? = nil
    ) {
        self.pid = pid
        self.parentPID = parentPID
        self.commandLine = commandLine
        self.startTime = startTime
        self.processGroupID = processGroupID
        self.state = state
    }

    /// Stopped by a signal (`T`) or at a tracer's stop (`t`): it makes no
    /// progress until someone continues it.
    public var isStopped: Bool { state == "T" || state == "t" }
}

/// A child the host started for a command, reported as soon as it exists so
/// the executor can journal it: after a crash, `process(pid)` with the same
/// `startTime` means that very child still runs (a resume must not start a
/// second `criu dump` beside it).
public struct StartedChild: Sendable, Hashable, Codable {
    public var pid: Int
    /// Field 22 of `/proc/<pid>/stat`; nil if the child was already gone.
    public var startTime: UInt64?

    public init(pid: Int, startTime: UInt64?) {
        self.pid = pid
        self.startTime = startTime
    }
}

/// A held lock. The kernel drops it when the process dies; `release()`
/// drops it earlier.
public protocol HostLock: Sendable {
    var path: String { get }
    func release() async
}
