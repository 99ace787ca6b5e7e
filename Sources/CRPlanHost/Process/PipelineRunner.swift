import CRPlanCore
import Dispatch
import Glibc
import Synchronization

/// Runs a `CommandPipeline`: every stage started with posix_spawn (argv, no
/// shell), stdout of each connected to stdin of the next by a pipe, all in
/// one new process group. Each stage's standard error goes to its own
/// unlinked temporary file and its tail is kept (bounded). When the
/// timeout expires (or the task is cancelled) every stage still running
/// gets SIGTERM, then SIGKILL after the grace period. Each stage's exit
/// status is reported; a stage that fails usually makes the ones before it
/// die of SIGPIPE, so `failure` names the first stage that failed for a
/// reason of its own. Like `CommandRunner`'s children, each stage is started
/// through `setpriv --pdeathsig KILL` when it is installed (from
/// `SpawnThread`, which lives as long as crplan), so a crplan killed even by
/// SIGKILL leaves no `tar`, `zstd` or `ssh` of a stream running.
public struct PipelineRunner: Sendable {
    public var temporaryDirectory: String
    public var terminationGrace: Duration
    /// How much of each stage's standard error is kept (its end).
    public var standardErrorLimit: Int
    /// The argv prefix that makes a stage die with crplan (see `CommandRunner.deathSignalWrapper`); nil runs stages directly.
    public var deathSignalWrapper: [String]? = CommandRunner.defaultDeathSignalWrapper

    public init(temporaryDirectory: String? = nil, terminationGrace: Duration = .seconds(2), standardErrorLimit: Int = 16 << 10) {
        self.temporaryDirectory = temporaryDirectory ?? CommandRunner().temporaryDirectory
        self.terminationGrace = terminationGrace
        self.standardErrorLimit = standardErrorLimit
    }

    public func run(_ pipeline: CommandPipeline) async throws(PipelineRunError) -> PipelineResult {
        let searchPath = CommandRunner.currentPath
        var executables: [String] = []
        for stage in pipeline.stages {
            do {
                executables.append(try CommandRunner.resolveExecutable(stage.argv[0], searchPath: searchPath))
            } catch {
                throw .cannotStart(stage: stage.argv, reason: error.description)
            }
        }
        var descriptors = OpenDescriptors()
        defer { descriptors.closeAll() }

        let input = try openInput(pipeline.input, into: &descriptors)
        let (output, outputCapture) = try openOutput(pipeline.output, into: &descriptors)
        var errorFiles: [Int32] = []
        for _ in pipeline.stages { errorFiles.append(try temporaryFile(into: &descriptors)) }

        // stage i reads stdins[i], writes stdouts[i]
        var stdins = [input]
        var stdouts: [Int32] = []
        for _ in 1..<pipeline.stages.count {
            // pipe2(O_CLOEXEC) is not visible to Swift's Glibc module: a program spawned by
            // another thread in between could inherit these two descriptors
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw .system("pipe", errno: errno) }
            descriptors.add(ends[0]); descriptors.add(ends[1])
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
            stdouts.append(ends[1])
            stdins.append(ends[0])
        }
        stdouts.append(output)

        let clock = ContinuousClock()
        let started = clock.now
        let group = StageGroup()
        for (index, stage) in pipeline.stages.enumerated() {
            do {
                var executable = executables[index]
                var argv = stage.argv
                let spawner = SpawnThread.shared
                if let wrapper = deathSignalWrapper, let program = wrapper.first, spawner.isRunning {
                    // The wrapper execs the stage in the same process (same pid); its argv[0] becomes the resolved path.
                    argv = wrapper + [executable] + Array(stage.argv.dropFirst())
                    executable = program
                }
                let (input, output, error, processGroup) = (stdins[index], stdouts[index], errorFiles[index], group.processGroup)
                let spawn = { @Sendable [executable, argv] () -> Result<pid_t, SpawnFailure> in
                    Result { () throws(SpawnFailure) -> pid_t in
                        try Self.spawn(
                            executable: executable, argv: argv, standardInput: input, standardOutput: output, standardError: error,
                            processGroup: processGroup)
                    }
                }
                let pid = try (spawner.isRunning && deathSignalWrapper != nil ? spawner.perform(spawn) : spawn()).get()
                group.started(pid)
            } catch {
                group.signalAll(SIGKILL)
                _ = await group.waitAll()
                throw .cannotStart(stage: stage.argv, reason: String(describing: error))
            }
            // the parent's copies of this stage's ends are not needed any more
            descriptors.close(stdins[index])
            descriptors.close(stdouts[index])
        }

        let timedOut = await withTaskGroup(of: Bool.self) { tasks in
            tasks.addTask { _ = await group.waitAll(); return false }
            tasks.addTask { [terminationGrace] in
                let limit = pipeline.timeoutMilliseconds.map { Duration.milliseconds($0) }
                do {
                    if let limit { try await Task.sleep(for: limit) } else { try await Task.sleep(for: .seconds(86_400 * 365)) }
                } catch {
                    if !Task.isCancelled { return false }
                    // cancelled: either the stages finished or the caller was cancelled
                    if group.allExited { return false }
                }
                group.signalAll(SIGTERM)
                try? await Task.sleep(for: terminationGrace)
                group.signalAll(SIGKILL)
                return true
            }
            let first = await tasks.next() ?? false
            if !first { tasks.cancelAll() }
            var result = first
            for await value in tasks { result = result || value }
            return result
        }
        let statuses = await group.waitAll()
        let duration = clock.now - started

        var stages: [PipelineStageResult] = []
        for (index, stage) in pipeline.stages.enumerated() {
            stages.append(PipelineStageResult(
                argv: stage.argv, pid: group.pids[index], status: statuses[index],
                standardError: Self.readTail(errorFiles[index], limit: standardErrorLimit)))
        }
        let captured: CapturedOutput? = outputCapture.map { Self.readHead(output, limit: $0) }
        if Task.isCancelled && !timedOut { throw .cancelled(pipeline.displayLine) }
        return PipelineResult(stages: stages, timedOut: timedOut, duration: duration, standardOutput: captured)
    }

    // MARK: Files

    private func openInput(_ input: PipelineInput, into descriptors: inout OpenDescriptors) throws(PipelineRunError) -> Int32 {
        let path: String = switch input {
        case .null: "/dev/null"
        case .file(let path): path
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .file(path, errno: errno) }
        descriptors.add(fd)
        return fd
    }

    private func openOutput(
        _ output: PipelineOutput, into descriptors: inout OpenDescriptors
    ) throws(PipelineRunError) -> (Int32, Int?) {
        switch output {
        case .null:
            let fd = open("/dev/null", O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .file("/dev/null", errno: errno) }
            descriptors.add(fd)
            return (fd, nil)
        case .capture(let limit):
            return (try temporaryFile(into: &descriptors), max(0, limit))
        case .file(let path, let replace):
            let flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (replace ? O_TRUNC : O_EXCL)
            let fd = open(path, flags, 0o600)
            guard fd >= 0 else { throw .file(path, errno: errno) }
            descriptors.add(fd)
            return (fd, nil)
        }
    }

    private func temporaryFile(into descriptors: inout OpenDescriptors) throws(PipelineRunError) -> Int32 {
        var template = Array((temporaryDirectory + "/crplan-pipeline-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw .file(temporaryDirectory, errno: errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
        descriptors.add(fd)
        return fd
    }

    static func readHead(_ fd: Int32, limit: Int) -> CapturedOutput {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return CapturedOutput(bytes: [], totalBytes: 0) }
        let total = Int(info.st_size)
        return CapturedOutput(bytes: read(fd, offset: 0, count: min(total, limit)), totalBytes: total)
    }

    static func readTail(_ fd: Int32, limit: Int) -> CapturedOutput {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return CapturedOutput(bytes: [], totalBytes: 0) }
        let total = Int(info.st_size)
        let count = min(total, limit)
        return CapturedOutput(bytes: read(fd, offset: total - count, count: count), totalBytes: total)
    }

    static func read(_ fd: Int32, offset: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(fd, base + done, count - done, off_t(offset + done))
            }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return Array(bytes.prefix(done))
    }

    // MARK: Spawning

    struct SpawnFailure: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    static func spawn(
        executable: String, argv: [String], standardInput: Int32, standardOutput: Int32,
        standardError: Int32, processGroup: pid_t
    ) throws(SpawnFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, standardError, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, processGroup)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, cArguments, environ)
        guard rc == 0 else { throw SpawnFailure(description: String(cString: strerror(rc))) }
        return pid
    }
}

/// The parent's open descriptors of one run, closed exactly once.
struct OpenDescriptors {
    private var open: Set<Int32> = []
    mutating func add(_ fd: Int32) { open.insert(fd) }
    mutating func close(_ fd: Int32) {
        // the output file and capture files stay open for reading back
        guard open.contains(fd) else { return }
        if isPipeOrDevice(fd) {
            _ = Glibc.close(fd)
            open.remove(fd)
        }
    }
    mutating func closeAll() {
        for fd in open { _ = Glibc.close(fd) }
        open.removeAll()
    }
    private func isPipeOrDevice(_ fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        return info.st_mode & S_IFMT == S_IFIFO || info.st_mode & S_IFMT == S_IFCHR
    }
}

/// The running stages: pids, their common process group, and their
/// statuses once reaped. Signals are only sent to stages not yet reaped
/// (their pids cannot have been reused), under the same lock the reaper takes.
final class StageGroup: Sendable {
    private struct State {
        var pids: [pid_t] = []
        var statuses: [pid_t: TerminationStatus] = [:]
        var reaped: Set<pid_t> = []
    }
    private let state = Mutex(State())

    /// 0 until the first stage starts: it leads a new group, the others join it.
    var processGroup: pid_t { state.withLock { $0.pids.first ?? 0 } }
    var pids: [pid_t] { state.withLock { $0.pids } }
    var allExited: Bool { state.withLock { $0.reaped.count == $0.pids.count } }

    func started(_ pid: pid_t) { state.withLock { $0.pids.append(pid) } }

    func signalAll(_ signal: Int32) {
        state.withLock { state in
            for pid in state.pids where !state.reaped.contains(pid) { _ = kill(pid, signal) }
            // grandchildren (tar's zstd, ssh's helpers) share the group while its leader is unreaped
            if let leader = state.pids.first, !state.reaped.contains(leader) { _ = kill(-leader, signal) }
        }
    }

    /// Waits (on blocking threads, not the cooperative pool) until every
    /// stage has exited; returns their statuses in stage order.
    func waitAll() async -> [TerminationStatus] {
        let pids = self.pids
        for pid in pids where !state.withLock({ $0.reaped.contains(pid) }) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    self.reap(pid)
                    continuation.resume()
                }
            }
        }
        return state.withLock { state in pids.map { state.statuses[$0] ?? .signalled(SIGKILL) } }
    }

    /// Blocks until `pid` has exited (without reaping), then reaps it under the lock.
    private func reap(_ pid: pid_t) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno != EINTR { break }
        }
        state.withLock { state in
            guard !state.reaped.contains(pid) else { return }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                if errno != EINTR { break }
            }
            let code = status & 0x7f
            state.statuses[pid] = code == 0 ? .exited((status >> 8) & 0xff) : .signalled(code)
            state.reaped.insert(pid)
        }
    }
}

/// One stage's outcome.
public struct PipelineStageResult: Sendable, Hashable {
    public var argv: [String]
    public var pid: Int32
    public var status: TerminationStatus
    /// The end of what it wrote to standard error.
    public var standardError: CapturedOutput
}

/// How a pipeline ended.
public struct PipelineResult: Sendable, Hashable {
    public var stages: [PipelineStageResult]
    public var timedOut: Bool
    public var duration: Duration
    /// The last stage's output when the pipeline captured it.
    public var standardOutput: CapturedOutput?

    /// Every stage exited 0 within the time.
    public var succeeded: Bool { !timedOut && stages.allSatisfy { $0.status == .exited(0) } }

    /// The stage to blame: the first that failed other than by SIGPIPE (a
    /// reader after it having gone), else the first that failed.
    public var failure: PipelineStageResult? {
        let failed = stages.filter { $0.status != .exited(0) }
        return failed.first { $0.status != .signalled(SIGPIPE) } ?? failed.first
    }

    /// "stage 3 of 3 (`ssh …`) exited with status 255: <stderr tail>", or nil.
    public var failureDescription: String? {
        if timedOut { return "the pipeline timed out and was stopped" }
        guard let failure, let index = stages.firstIndex(of: failure) else { return nil }
        let line = HostCommand(argv: failure.argv).displayLine
        let message = failure.standardError.text.trimmingWhitespace
        return "stage \(index + 1) of \(stages.count) (`\(line)`) \(failure.status.ended)" + (message.isEmpty ? "" : ": " + message)
    }
}

/// Why a pipeline could not run at all.
public enum PipelineRunError: Error, Sendable, Hashable, CustomStringConvertible {
    case cannotStart(stage: [String], reason: String)
    case file(String, errno: Int32)
    case system(String, errno: Int32)
    case cancelled(String)

    public var description: String {
        switch self {
        case .cannotStart(let stage, let reason):
            "cannot start `\(HostCommand(argv: stage).displayLine)`: \(reason)"
        case .file(let path, let code):
            "cannot open \(path): \(String(cString: strerror(code)))"
        case .system(let call, let code):
            "\(call) failed: \(String(cString: strerror(code)))"
        case .cancelled(let line):
            "`\(line)` was stopped because crplan was interrupted"
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        return String(scalars)
    }
}
