import CRPlanCore
import Glibc
import SystemPackage

/// The real `Host`: thin glue from the executor's protocol to the tested
/// building blocks (`CommandRunner`, `DockerInspect`, `ContainerFactsReader`, `DurableFiles`,
/// `MountTable`, `Mounts`, `ProcFS`, `FileLock`), mapping their errors to
/// `HostError`. Every side effect crplan has goes through here.
public struct SystemHost: Host {
    public let environment: [String: String]
    public var runner: CommandRunner
    /// Where procfs is mounted.
    public var procRoot: String
    /// How much of standard output `run` keeps in `CommandResult` (the
    /// head: it may be decoded, e.g. `docker inspect` JSON).
    public var outputCaptureLimit: Int
    /// How much of standard error `run` keeps (the tail: where errors are).
    public var errorCaptureLimit: Int

    public init(
        environment: [String: String] = SystemHost.currentEnvironment(), runner: CommandRunner = CommandRunner(),
        procRoot: String = "/proc", outputCaptureLimit: Int = 1 << 20, errorCaptureLimit: Int = 64 << 10
    ) {
        self.environment = environment
        self.runner = runner
        self.procRoot = procRoot
        self.outputCaptureLimit = outputCaptureLimit
        self.errorCaptureLimit = errorCaptureLimit
    }

    /// This process's environment (`environ`).
    public static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }

    // MARK: Commands

    public func run(_ invocation: CommandInvocation) async throws(HostError) -> CommandResult {
        try await run(invocation, reporting: nil)
    }

    /// Runs the pipeline with `PipelineRunner` (real pipes, no shell).
    public func runPipeline(_ pipeline: CommandPipeline) async throws(HostError) -> CommandResult {
        let result: PipelineResult
        do {
            result = try await PipelineRunner().run(pipeline)
        } catch {
            throw .launchFailed(program: pipeline.stages.first?.argv.first ?? "", message: error.description)
        }
        let output = result.standardOutput.map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
        if result.succeeded {
            return CommandResult(status: .exited(0), standardOutput: output)
        }
        return CommandResult(
            status: result.timedOut ? .timedOut : result.failure?.status ?? .exited(1), standardOutput: output,
            standardError: result.failureDescription ?? "the pipeline failed")
    }

    public func run(
        _ invocation: CommandInvocation, onStart: @escaping @Sendable (StartedChild) async -> Void
    ) async throws(HostError) -> CommandResult {
        try await run(invocation, reporting: onStart)
    }

    func run(
        _ invocation: CommandInvocation, reporting onStart: (@Sendable (StartedChild) async -> Void)?
    ) async throws(HostError) -> CommandResult {
        let command = HostCommand(
            argv: invocation.argv,
            workingDirectory: invocation.workingDirectory,
            timeout: invocation.timeout,
            standardOutputLog: invocation.standardOutputLog,
            standardErrorLog: invocation.standardErrorLog,
            standardOutputCapture: .head(outputCaptureLimit),
            standardErrorCapture: .tail(errorCaptureLimit))
        let result: HostCommandResult
        do {
            result = try await runner.run(command, onStart: onStart.map { report in
                { @Sendable child in await report(StartedChild(pid: Int(child.pid), startTime: child.startTime)) }
            })
        } catch {
            throw Self.map(error, program: invocation.argv.first ?? "")
        }
        return CommandResult(
            status: result.timedOut ? .timedOut : result.status, standardOutput: result.standardOutput.text, standardError: result.standardError.text,
            standardOutputTruncated: result.standardOutput.isTruncated)
    }

    public func containerFacts(
        fromInspect result: CommandResult, reference: String, dockerHome: String
    ) async throws(HostError) -> ContainerFacts {
        guard !result.standardOutputTruncated else {
            throw .docker(message: "`docker inspect` printed more than \(outputCaptureLimit) bytes for `\(reference)`: refusing to decode it")
        }
        if result.status == .timedOut {
            throw .docker(message: "`docker inspect` of `\(reference)` timed out")
        }
        do {
            let inspect = try DockerInspect.decode(
                standardOutput: Array(result.standardOutput.utf8), standardError: result.standardError, status: result.status,
                reference: reference)
            return try ContainerFactsReader(dockerHome: dockerHome, procRoot: procRoot).read(inspect)
        } catch let error as DockerInspectError {
            switch error {
            case .notFound: throw .containerNotFound(reference: reference)
            case .ambiguous(_, let candidates): throw .ambiguousContainer(reference: reference, candidates: candidates)
            default: throw .docker(message: error.description)
            }
        } catch {
            throw .docker(message: String(describing: error))
        }
    }

    // MARK: Files

    public func fileType(at path: String) async throws(HostError) -> CRPlanCore.FileType? {
        let status: FileStatus?
        do {
            status = try DurableFiles.status(path)
        } catch {
            throw Self.map(error)
        }
        switch status?.kind {
        case nil: return nil
        case .regular: return .regular
        case .directory: return .directory
        case .symbolicLink: return .symbolicLink
        case .other: return .other
        }
    }

    public func readFile(at path: String) async throws(HostError) -> [UInt8] {
        do { return try DurableFiles.read(path) } catch { throw Self.map(error) }
    }

    public func makeDirectory(at path: String, mode: UInt16) async throws(HostError) {
        do {
            try DurableFiles.createDirectory(path, permissions: FilePermissions(rawValue: CModeT(mode)), intermediates: true)
        } catch {
            throw Self.map(error)
        }
    }

    public func writeFileAtomically(at path: String, contents: [UInt8], mode: UInt16) async throws(HostError) {
        do {
            try DurableFiles.writeAtomically(contents, to: path, permissions: FilePermissions(rawValue: CModeT(mode)))
        } catch {
            throw Self.map(error)
        }
    }

    public func appendDurably(to path: String, contents: [UInt8]) async throws(HostError) {
        do { try DurableFiles.append(contents, to: path) } catch { throw Self.map(error) }
    }

    /// The write without the file's fsync (`DurableFiles.append(sync: false)`):
    /// the journal's child records (see `JournalWriter`).
    public func appendWithoutSync(to path: String, contents: [UInt8]) async throws(HostError) {
        do { try DurableFiles.append(contents, to: path, sync: false) } catch { throw Self.map(error) }
    }

    public func truncateFile(at path: String, toLength length: Int) async throws(HostError) {
        do { try DurableFiles.truncate(path, toLength: length) } catch { throw Self.map(error) }
    }

    public func move(from source: String, to destination: String) async throws(HostError) {
        do { try DurableFiles.rename(source, to: destination) } catch { throw Self.map(error) }
    }

    public func removeFile(at path: String) async throws(HostError) {
        let removed: Bool
        do { removed = try DurableFiles.remove(path) } catch { throw Self.map(error) }
        if !removed { throw .notFound(path: path) }
    }

    public func removeEmptyDirectory(at path: String) async throws(HostError) {
        let removed: Bool
        do { removed = try DurableFiles.removeEmptyDirectory(path) } catch { throw Self.map(error) }
        if !removed { throw .notFound(path: path) }
    }

    public func listDirectory(at path: String) async throws(HostError) -> [String] {
        do { return try DurableFiles.listDirectory(path) } catch { throw Self.map(error) }
    }

    /// `TrustedPath.checkDirectory`, as `writeFileAtomically` applies it to the folder it writes in.
    public func checkTrustedDirectory(at path: String) async throws(HostError) {
        do { try TrustedPath.checkDirectory(path) } catch { throw Self.map(error) }
    }

    // MARK: Mounts

    public func mountTable() async throws(HostError) -> [MountEntry] {
        let table: MountTable
        do {
            table = try MountTable.read(pid: nil, procRoot: procRoot)
        } catch {
            if case .file(let file) = error { throw Self.map(file) }
            throw .io(operation: "read", path: "\(procRoot)/self/mountinfo", message: error.description)
        }
        return table.entries.map(\.mountEntry)
    }

    public func unmount(_ path: String) async throws(HostError) {
        do { try Mounts.unmount(path) } catch { throw .io(operation: "unmount", path: path, message: error.message) }
    }

    // MARK: Processes

    public func process(_ pid: Int) async -> RunningProcess? {
        guard let pid = Int32(exactly: pid) else { return nil }
        let proc = ProcFS(root: procRoot)
        guard proc.isAlive(pid), let process = try? proc.process(pid), !process.isDefunct,
            let commandLine = try? proc.commandLine(pid)
        else { return nil }
        return RunningProcess(
            pid: Int(pid), parentPID: Int(process.parentPid), commandLine: commandLine, startTime: process.startTime)
    }

    public func processes(inGroup groupID: Int) async -> [RunningProcess] {
        guard let group = Int32(exactly: groupID), group > 1 else { return [] }
        let proc = ProcFS(root: procRoot)
        return proc.processes(inGroup: group).map { process in
            RunningProcess(
                pid: Int(process.pid), parentPID: Int(process.parentPid),
                commandLine: (try? proc.commandLine(process.pid)) ?? [process.name],
                startTime: process.startTime, processGroupID: Int(process.processGroup), state: String(process.state))
        }
    }

    public func killProcessGroup(_ groupID: Int) async throws(HostError) {
        // Never 0, 1 or a negative id: kill(0) / kill(-1) would hit crplan's own group or every process.
        guard let group = Int32(exactly: groupID), group > 1 else {
            throw .io(operation: "kill", path: "process group \(groupID)", message: "not a process group crplan may signal")
        }
        guard Glibc.kill(-group, SIGKILL) == 0 else {
            let error = errno
            if error == ESRCH { return }
            throw .io(operation: "kill", path: "process group \(groupID)", message: String(cString: strerror(error)))
        }
    }

    // MARK: Locks

    public func lock(_ path: String) async throws(HostError) -> any HostLock {
        do {
            return try FileLock.acquire(path)
        } catch {
            switch error {
            case .held(let path, let holder): throw .locked(path: path, holderPID: holder.map(Int.init))
            case .file(let file): throw Self.map(file)
            }
        }
    }

    // MARK: Time

    public func now() async -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(millisecondsSinceEpoch: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }

    public func sleep(for duration: Duration) async {
        try? await Task.sleep(for: duration)
    }

    // MARK: Error mapping

    static func map(_ error: FileError) -> HostError {
        switch error {
        case .system(let operation, let path, let errno):
            if errno == .noSuchFileOrDirectory { return .notFound(path: path) }
            return .io(operation: operation, path: path, message: "\(errno.description) (errno \(errno.rawValue))")
        case .symbolicLink(let path):
            return .symbolicLink(path: path)
        case .notADirectory(let path):
            return .io(operation: "open", path: path, message: "not a directory")
        case .notARegularFile(let path):
            return .io(operation: "read", path: path, message: "not a regular file")
        case .tooLarge(let path, let limit):
            return .io(operation: "read", path: path, message: "larger than \(limit) bytes")
        case .alreadyExists(let path):
            return .io(operation: "rename", path: path, message: "file exists")
        case .shortWrite(let path, let written, let expected, let cause):
            return .io(operation: "append to", path: path, message: "short write (\(written) of \(expected) bytes)" + (cause.map { ": \($0)" } ?? ""))
        case .untrusted(let path, let reason):
            return .io(operation: "write under", path: path, message: reason)
        }
    }

    static func map(_ error: CommandError, program: String) -> HostError {
        switch error {
        case .log(let file): map(file)
        case .cancelled: .io(operation: "run", path: program, message: error.description)
        default: .launchFailed(program: program, message: error.description)
        }
    }
}

extension FileLock: HostLock {}
