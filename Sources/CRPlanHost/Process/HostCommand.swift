import CRPlanCore

/// One program run by the host: an argv array (never a shell line), where
/// and with what environment it runs, how long it may take, and where its
/// output goes. The value the executor hands to `CommandRunner`.
public struct HostCommand: Sendable, Hashable {
    /// `argv[0]` is an absolute path or a bare name looked up in `PATH`
    /// (the `PATH` of `environment` if it sets one, else crplan's own).
    public var argv: [String]
    /// The child's working directory; nil keeps crplan's.
    public var workingDirectory: String?
    /// Changes to the inherited environment: a value sets, nil unsets.
    public var environment: [String: String?]
    /// After this long the child gets SIGTERM, then SIGKILL after `terminationGrace`. Nil: no limit.
    public var timeout: Duration?
    public var terminationGrace: Duration
    /// Files the full standard output / error are appended to (created 0600,
    /// never through a symbolic link). The same path for both interleaves
    /// them in one file. Nil: kept only in an unlinked temporary file for capture.
    public var standardOutputLog: String?
    public var standardErrorLog: String?
    /// How much of each stream `HostCommandResult` keeps in memory.
    public var standardOutputCapture: OutputCapture
    public var standardErrorCapture: OutputCapture

    public init(
        argv: [String],
        workingDirectory: String? = nil,
        environment: [String: String?] = [:],
        timeout: Duration? = nil,
        terminationGrace: Duration = .seconds(5),
        standardOutputLog: String? = nil,
        standardErrorLog: String? = nil,
        standardOutputCapture: OutputCapture = .head(1 << 20),
        standardErrorCapture: OutputCapture = .tail(64 << 10)
    ) {
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
        self.terminationGrace = terminationGrace
        self.standardOutputLog = standardOutputLog
        self.standardErrorLog = standardErrorLog
        self.standardOutputCapture = standardOutputCapture
        self.standardErrorCapture = standardErrorCapture
    }

    /// The argv as a copy-pasteable line for messages (single-quoted where needed).
    public var displayLine: String {
        ShellQuoting.line(argv)
    }
}

/// Which part of an output stream a result keeps in memory (the log file
/// always has all of it): the beginning, for output that is parsed (JSON),
/// or the end, for error messages.
public enum OutputCapture: Sendable, Hashable {
    case head(Int)
    case tail(Int)

    var limit: Int {
        switch self {
        case .head(let limit), .tail(let limit): Swift.max(0, limit)
        }
    }
}

/// Part of a stream a command wrote, as kept by `OutputCapture`.
public struct CapturedOutput: Sendable, Hashable {
    public var bytes: [UInt8]
    /// How many bytes the command wrote in total.
    public var totalBytes: Int

    public init(bytes: [UInt8], totalBytes: Int) {
        self.bytes = bytes
        self.totalBytes = totalBytes
    }

    /// True when `bytes` is only part of what was written.
    public var isTruncated: Bool { bytes.count < totalBytes }

    /// The bytes as UTF-8 text (invalid sequences replaced).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// How a command ended, and what it printed.
public struct HostCommandResult: Sendable, Hashable {
    /// The argv as given.
    public var argv: [String]
    /// The program that ran (after the `PATH` lookup).
    public var executablePath: String
    public var pid: Int32
    /// `exited` or `signalled`: a timeout is `timedOut`, beside it.
    public var status: TerminationStatus
    /// The timeout expired and crplan sent SIGTERM (and SIGKILL after the grace period).
    public var timedOut: Bool
    public var duration: Duration
    public var standardOutput: CapturedOutput
    public var standardError: CapturedOutput

    public init(
        argv: [String], executablePath: String, pid: Int32, status: TerminationStatus, timedOut: Bool,
        duration: Duration, standardOutput: CapturedOutput, standardError: CapturedOutput
    ) {
        self.argv = argv
        self.executablePath = executablePath
        self.pid = pid
        self.status = status
        self.timedOut = timedOut
        self.duration = duration
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// Exited with status 0 within its time.
    public var succeeded: Bool { status == .exited(0) && !timedOut }

    /// "exited with status 1", "timed out and was stopped (was killed by signal 15 (SIGTERM))", ...
    public var outcome: String {
        let ended = status.ended
        guard timedOut else { return ended }
        return "timed out and was stopped (\(ended))"
    }
}

/// Why a command could not be run at all. (A command that runs and fails is
/// a `HostCommandResult`, not an error.)
public enum CommandError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyArgv
    /// `argv[0]` is neither absolute nor a bare name.
    case relativeExecutable(String)
    /// No executable `name` in any directory of `searchPath`.
    case notFound(name: String, searchPath: String)
    /// The process could not be started (exec failed, bad working directory, ...).
    case spawnFailed(argv: [String], reason: String)
    /// A log file could not be opened or read.
    case log(FileError)
    /// The calling task was cancelled; the child was stopped.
    case cancelled(argv: [String])

    public var description: String {
        switch self {
        case .emptyArgv:
            "empty command line"
        case .relativeExecutable(let name):
            "\(name): give a bare program name (looked up in PATH) or an absolute path"
        case .notFound(let name, let searchPath):
            "\(name): not found in PATH (\(searchPath))"
        case .spawnFailed(let argv, let reason):
            "cannot start `\(HostCommand(argv: argv).displayLine)`: \(reason)"
        case .log(let error):
            error.description
        case .cancelled(let argv):
            "`\(HostCommand(argv: argv).displayLine)` was stopped because crplan was interrupted"
        }
    }
}

/// A child crplan started, as it can be found again: its pid and its start
/// time (clock ticks after boot, field 22 of `/proc/<pid>/stat`; nil if it
/// had already gone). The same pid with another start time is another process.
public struct SpawnedProcess: Sendable, Hashable {
    public var pid: Int32
    public var startTime: UInt64?

    public init(pid: Int32, startTime: UInt64?) {
        self.pid = pid
        self.startTime = startTime
    }
}
