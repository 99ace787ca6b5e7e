import CRPlanCore
import Glibc
import Subprocess
import Synchronization
import SystemPackage

/// Runs a `HostCommand` with swift-subprocess: argv only (no shell), stdin
/// from `/dev/null`, stdout and stderr straight into files (log files, or
/// unlinked temporary files), so a grandchild that keeps them open (a daemon
/// CRIU restores, say) can never make crplan wait. After it ends, the
/// captured part of each stream is read back from the file.
///
/// Children never outlive crplan by accident:
/// - each child leads its own session and process group, and when the
///   command's timeout expires (or crplan is interrupted) the whole group
///   gets SIGTERM, then SIGKILL after the grace period, so the child's own
///   children (CRIU's helpers) go too;
/// - each child is started through `setpriv --pdeathsig KILL` (util-linux)
///   when it is installed, so the kernel SIGKILLs the child when crplan dies,
///   even by SIGKILL. The parent-death signal fires when the *thread* that
///   forked the child exits: swift-subprocess forks on its own worker
///   thread, which lives until the process exits, never on a Swift
///   concurrency thread, so a child does not die while crplan lives.
public struct CommandRunner: Sendable {
    /// Directory for the unlinked capture files of streams without a log.
    public var temporaryDirectory: String
    /// The argv prefix that makes a child die with crplan (the program must
    /// set the parent-death signal and `exec` the rest of its argv); nil runs
    /// children directly. Default: `setpriv --pdeathsig KILL --` when found.
    public var deathSignalWrapper: [String]?

    public init(temporaryDirectory: String? = nil, deathSignalWrapper: [String]?? = nil) {
        self.temporaryDirectory = temporaryDirectory
            ?? getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        self.deathSignalWrapper = deathSignalWrapper ?? Self.defaultDeathSignalWrapper
    }

    /// `setpriv --pdeathsig KILL --` from util-linux (Essential on Debian), if installed.
    public static let defaultDeathSignalWrapper: [String]? = {
        for directory in ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] where isExecutableFile(directory + "/setpriv") {
            return [directory + "/setpriv", "--pdeathsig", "KILL", "--"]
        }
        return nil
    }()

    /// Runs `command` to completion (or its timeout). A non-zero exit is a
    /// result; only a command that cannot start (or a log that cannot be
    /// written) throws.
    /// - Parameter onStart: called once the child exists (before it is
    ///   awaited) with its pid and start time, e.g. to journal them so that a
    ///   later resume can tell whether that child still runs.
    public func run(
        _ command: HostCommand, onStart: (@Sendable (SpawnedProcess) async -> Void)? = nil
    ) async throws(CommandError) -> HostCommandResult {
        guard let program = command.argv.first else { throw .emptyArgv }
        let searchPath = command.environment["PATH"].map { $0 ?? "" } ?? Self.currentPath
        let executable = try Self.resolveExecutable(program, searchPath: searchPath)

        let outputs = try openOutputs(command)
        defer { outputs.close() }

        var environment: [Environment.Key: String?] = [:]
        for (name, value) in command.environment {
            guard let key = Environment.Key(rawValue: name) else { continue }
            environment[key] = value
        }
        var options = PlatformOptions()
        // Its own session and process group (pgid = its pid), signalled as a group.
        options.createSession = true
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: command.terminationGrace)
        ]
        let launched: Executable
        let arguments: Arguments
        if let wrapper = deathSignalWrapper, let wrapperProgram = wrapper.first {
            // The wrapper execs the program in the same process (same pid);
            // the program's argv[0] becomes its resolved path.
            launched = .path(FilePath(wrapperProgram))
            arguments = Arguments(Array(wrapper.dropFirst()) + [executable] + Array(command.argv.dropFirst()))
        } else {
            launched = .path(FilePath(executable))
            arguments = Arguments(executablePathOverride: program, remainingValues: Array(command.argv.dropFirst()))
        }
        let configuration = Configuration(
            executable: launched,
            arguments: arguments,
            environment: environment.isEmpty ? .inherit : .inherit.updating(environment),
            workingDirectory: command.workingDirectory.map { FilePath($0) },
            platformOptions: options
        )

        let clock = ContinuousClock()
        let started = clock.now
        let finished: Finished
        do {
            finished = try await Self.execute(
                configuration, output: outputs.standardOutput.descriptor,
                error: outputs.standardError.descriptor, timeout: command.timeout,
                grace: command.terminationGrace, onStart: onStart)
        } catch let error as SubprocessError {
            throw .spawnFailed(argv: command.argv, reason: Self.reason(error, command: command))
        } catch {
            throw .spawnFailed(argv: command.argv, reason: String(describing: error))
        }
        let duration = clock.now - started
        if !finished.timedOut, Task.isCancelled { throw .cancelled(argv: command.argv) }

        return HostCommandResult(
            argv: command.argv,
            executablePath: executable,
            pid: finished.pid,
            status: finished.status,
            timedOut: finished.timedOut,
            duration: duration,
            standardOutput: try outputs.standardOutput.captured(command.standardOutputCapture),
            standardError: try outputs.standardError.captured(command.standardErrorCapture)
        )
    }

    // MARK: Executable lookup

    /// crplan's own `PATH`, or the usual default when it has none.
    static var currentPath: String {
        getenv("PATH").map { String(cString: $0) } ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    }

    /// An absolute `program` as is (it must be an executable file); a bare
    /// name looked up in the absolute directories of `searchPath`, in order.
    public static func resolveExecutable(_ program: String, searchPath: String) throws(CommandError) -> String {
        if program.hasPrefix("/") {
            guard isExecutableFile(program) else {
                throw .spawnFailed(argv: [program], reason: "\(program) is not an executable file")
            }
            return program
        }
        guard !program.isEmpty, !program.contains("/") else { throw .relativeExecutable(program) }
        for directory in searchPath.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = String(directory.hasSuffix("/") ? directory + program : directory + "/" + program)
            if isExecutableFile(candidate) { return candidate }
        }
        throw .notFound(name: program, searchPath: searchPath)
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    // MARK: Running

    /// The child's pid once it is spawned (written by the run task, read by
    /// the timer), and whether the timer fired.
    final class SpawnedPid: Sendable {
        private let storage = Mutex<(pid: Int32?, timedOut: Bool)>((nil, false))
        func set(_ pid: Int32) { storage.withLock { $0.pid = pid } }
        var value: Int32? { storage.withLock { $0.pid } }
        func markTimedOut() { storage.withLock { $0.timedOut = true } }
        var timedOut: Bool { storage.withLock { $0.timedOut } }
    }

    struct Finished: Sendable {
        var pid: Int32
        var status: CRPlanCore.TerminationStatus
        var timedOut: Bool
    }

    private enum Race: Sendable {
        case finished(pid: Int32, status: CRPlanCore.TerminationStatus)
        case timerFired
        case timerCancelled
    }

    /// Runs the child and a timer side by side. When the timer wins, the
    /// child's process group gets SIGTERM, then (after `grace`, if any member
    /// is left) SIGKILL, and the child's task is cancelled: swift-subprocess
    /// then runs its teardown sequence (the same, for a leader still alive)
    /// and still waits for and reaps the child, so its real end status is
    /// reported. The group is signalled while its leader is alive or its
    /// members keep the group id in use, so no other process is hit.
    static func execute(
        _ configuration: Configuration, output: FileDescriptor, error: FileDescriptor, timeout: Duration?,
        grace: Duration = .seconds(5), onStart: (@Sendable (SpawnedProcess) async -> Void)? = nil
    ) async throws -> Finished {
        let started = SpawnedPid()
        return try await withThrowingTaskGroup(of: Race.self) { group in
            group.addTask {
                let result = try await Subprocess.run(
                    configuration,
                    input: .none,
                    output: .fileDescriptor(output, closeAfterSpawningProcess: false),
                    error: .fileDescriptor(error, closeAfterSpawningProcess: false)
                ) { execution in
                    let pid = execution.processIdentifier.value
                    started.set(pid)
                    if let onStart {
                        await onStart(SpawnedProcess(pid: pid, startTime: try? ProcFS().startTime(pid)))
                    }
                }
                let status: CRPlanCore.TerminationStatus =
                    switch result.terminationStatus {
                    case .exited(let code): .exited(code)
                    case .signaled(let signal): .signalled(signal)
                    }
                return .finished(pid: result.processIdentifier.value, status: status)
            }
            if let timeout {
                group.addTask {
                    do {
                        try await Task.sleep(for: timeout)
                    } catch {
                        return .timerCancelled
                    }
                    // Marked before the signal: the child's end may be seen first.
                    started.markTimedOut()
                    if let pid = started.value {
                        await stopGroup(pid, grace: grace)
                    }
                    return .timerFired
                }
            }
            var timedOut = false
            while let next = try await group.next() {
                switch next {
                case .finished(let pid, let status):
                    group.cancelAll()
                    return Finished(pid: pid, status: status, timedOut: timedOut || started.timedOut)
                case .timerFired:
                    timedOut = true
                    group.cancelAll()
                case .timerCancelled:
                    continue
                }
            }
            throw CancellationError()
        }
    }

    /// SIGTERM to the process group `pgid`, then SIGKILL once `grace` has
    /// passed with any member left. Returns when the group is empty or killed.
    static func stopGroup(_ pgid: Int32, grace: Duration) async {
        guard pgid > 1, Glibc.kill(-pgid, SIGTERM) == 0 else { return }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if Glibc.kill(-pgid, 0) != 0 { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
        _ = Glibc.kill(-pgid, SIGKILL)
    }

    static func reason(_ error: SubprocessError, command: HostCommand) -> String {
        if error.code == .failedToChangeWorkingDirectory, let directory = command.workingDirectory {
            return "cannot change to working directory \(directory)"
                + (error.underlyingError.map { ": \($0.description)" } ?? "")
        }
        return error.description
    }

    // MARK: Output files

    /// The two output streams' files. Closing is explicit.
    struct Outputs {
        var standardOutput: OutputFile
        var standardError: OutputFile

        func close() {
            try? standardOutput.descriptor.close()
            if standardError.descriptor != standardOutput.descriptor {
                try? standardError.descriptor.close()
            }
        }
    }

    /// A file a stream is appended to, with the offset where this run began.
    struct OutputFile {
        var descriptor: FileDescriptor
        var path: String
        var startOffset: Int64

        /// The part of what this run wrote that `capture` keeps.
        func captured(_ capture: OutputCapture) throws(CommandError) -> CapturedOutput {
            do {
                let end = try DurableFiles.fileSize(descriptor, path: path)
                let total = Int(Swift.max(0, end - startOffset))
                let count = Swift.min(total, capture.limit)
                let offset: Int64 =
                    switch capture {
                    case .head: startOffset
                    case .tail: end - Int64(count)
                    }
                let bytes = try DurableFiles.readRange(descriptor, path: path, offset: offset, count: count)
                _ = Glibc.fsync(descriptor.rawValue)
                return CapturedOutput(bytes: bytes, totalBytes: total)
            } catch {
                throw .log(error)
            }
        }
    }

    func openOutputs(_ command: HostCommand) throws(CommandError) -> Outputs {
        let standardOutput = try openOutput(command.standardOutputLog)
        if let log = command.standardErrorLog, log == command.standardOutputLog {
            return Outputs(standardOutput: standardOutput, standardError: standardOutput)
        }
        do {
            return Outputs(standardOutput: standardOutput, standardError: try openOutput(command.standardErrorLog))
        } catch {
            try? standardOutput.descriptor.close()
            throw error
        }
    }

    func openOutput(_ log: String?) throws(CommandError) -> OutputFile {
        do throws(FileError) {
            if let log {
                try TrustedPath.checkParent(of: log)
                let descriptor = try DurableFiles.open(
                    log, .readWrite, options: [.create, .append], permissions: DurableFiles.filePermissions)
                do {
                    return OutputFile(
                        descriptor: descriptor, path: log, startOffset: try DurableFiles.fileSize(descriptor, path: log))
                } catch {
                    try? descriptor.close()
                    throw error
                }
            }
            return OutputFile(descriptor: try openUnlinkedTemporary(), path: temporaryDirectory, startOffset: 0)
        } catch {
            throw .log(error)
        }
    }

    /// A read/write file in `temporaryDirectory` that no name refers to.
    func openUnlinkedTemporary() throws(FileError) -> FileDescriptor {
        var template = Array((temporaryDirectory + "/crplan-output-XXXXXX").utf8CString)
        let raw = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard raw >= 0 else {
            throw .system(operation: "create a temporary file in", path: temporaryDirectory, errno: Errno(rawValue: errno))
        }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = unlink(path)
        _ = fcntl(raw, F_SETFD, FD_CLOEXEC)
        return FileDescriptor(rawValue: raw)
    }
}
