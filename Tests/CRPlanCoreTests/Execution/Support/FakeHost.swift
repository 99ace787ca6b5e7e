import Foundation
@testable import CRPlanCore

/// The recording test double of `Host`: runs nothing, simulates a
/// `FakeWorld`, and records every call. Runs instantly (a fake clock).
actor FakeHost: CRPlanCore.Host {
    var world: FakeWorld
    nonisolated let environment: [String: String]

    init(_ world: FakeWorld, environment: [String: String] = [:]) {
        self.world = world
        self.environment = environment
    }

    func update(_ change: @Sendable (inout FakeWorld) -> Void) {
        change(&world)
    }

    /// A new process that takes over the world after "crplan died": the
    /// kernel dropped its locks, and nothing crashes any more.
    func restartAfterCrash() {
        world.crashed = false
        world.crashAtSideEffect = nil
        world.heldLocks.removeAll()
    }

    /// Counts a side effect; throws if crplan "crashed" at or before it.
    /// A crashed crplan makes no more calls, so those are not recorded.
    private func sideEffect(_ call: HostCall, _ operation: FakeWorld.Operation, _ path: String) throws(HostError) {
        if world.crashed { throw .io(operation: operation.rawValue, path: path, message: "simulated crash: crplan is dead") }
        if let crashAt = world.crashAtSideEffect, world.sideEffects + 1 >= crashAt {
            world.crashed = true
            throw .io(operation: operation.rawValue, path: path, message: "simulated crash")
        }
        world.sideEffects += 1
        world.calls.append(call)
        if let error = world.injectedFailure(operation, path) { throw error }
    }

    // MARK: Commands

    func run(_ invocation: CommandInvocation) async throws(HostError) -> CommandResult {
        try await run(invocation, onStart: { _ in })
    }

    /// Starts a fake child (a live process with a pid and start time),
    /// reports it, then lets the handler answer; the child is gone when the
    /// command returns unless the handler made it linger.
    func run(
        _ invocation: CommandInvocation, onStart: @escaping @Sendable (StartedChild) async -> Void
    ) async throws(HostError) -> CommandResult {
        try sideEffect(.run(invocation.argv), .run, invocation.argv.joined(separator: " "))
        // A command sent over ssh is recorded as spawned (the ssh argv) and
        // answered as the other machine would run it (its remote line split back).
        var invocation = invocation
        if world.answersSSHAsTheRemoteMachine, invocation.argv.first == "ssh", let line = invocation.argv.last {
            invocation.argv = RemoteShellQuotingTests.unquote(line)
        }
        let child = StartedChild(pid: world.nextChildPid, startTime: world.nextChildStartTime)
        world.nextChildPid += 1
        world.nextChildStartTime += 1
        world.processes[child.pid] = RunningProcess(
            pid: child.pid, parentPID: world.ownPID, commandLine: invocation.argv, startTime: child.startTime)
        world.startedChildren.append(child)
        await onStart(child)
        world.currentChild = child
        defer {
            world.currentChild = nil
            if world.lingering?.pid != child.pid { world.processes[child.pid] = nil }
        }
        world.clock += world.commandDuration
        // Handlers for another engine (a migration's target) answer before the source's inspect.
        for handler in world.handlers where handler.name.hasPrefix("target ") && handler.matches(invocation.argv) {
            let result = handler.respond(&world, invocation)
            if let log = invocation.standardOutputLog { world.write(log, result.standardOutput) }
            return result
        }
        if let reference = FakeWorld.inspectedReference(invocation.argv) {
            let result = world.inspect(reference)
            if let log = invocation.standardOutputLog { world.write(log, result.standardOutput) }
            return result
        }
        for handler in world.handlers where handler.matches(invocation.argv) {
            let result = handler.respond(&world, invocation)
            if let log = invocation.standardErrorLog { world.write(log, result.standardError) }
            if let log = invocation.standardOutputLog { world.write(log, result.standardOutput) }
            return result
        }
        throw .launchFailed(program: invocation.argv.first ?? "", message: "the fake host has no handler for \(invocation.argv)")
    }

    /// Records the pipeline (every stage as a run, in order, answered by
    /// the handlers like a command) and fails when a stage does.
    func runPipeline(_ pipeline: CommandPipeline) async throws(HostError) -> CommandResult {
        world.pipelinesRun.append(pipeline.stages.map(\.argv))
        var last = CommandResult(status: .exited(0))
        for stage in pipeline.stages {
            last = try await run(CommandInvocation(argv: stage.argv, timeout: .seconds(60)))
            if !last.status.isSuccess { return last }
        }
        // A captured pipeline (open-archive's `tar --list`) gives its last stage's output.
        guard case .capture = pipeline.output else { return CommandResult(status: .exited(0)) }
        return CommandResult(status: .exited(0), standardOutput: last.standardOutput)
    }

    /// Checks the fake tree as the real host does, in short: its manifest
    /// decodes, every listed file is there with its sha256, nothing else is.
    func verifyUnpackedArchive(at tree: String, listedManifestSize: Int64?, limits: ArchiveLimits) async throws(HostError) -> ArchiveManifest {
        func refuse(_ error: ArchiveError) -> HostError {
            .io(operation: "accept the unpacked archive", path: tree, message: error.description)
        }
        guard let bytes = world.files[tree + "/manifest.json"] else { throw refuse(.missingManifest) }
        let manifest: ArchiveManifest
        do {
            manifest = try ArchiveManifest.decode(bytes, limits: limits)
        } catch {
            throw refuse(error)
        }
        var entries = [ArchiveListingEntry(path: "manifest.json", kind: .file, size: Int64(bytes.count), sha256: ArchiveDigest.hex(bytes))]
        for (path, content) in world.files where path.hasPrefix(tree + "/") && path != tree + "/manifest.json" {
            entries.append(ArchiveListingEntry(path: String(path.dropFirst(tree.count + 1)), kind: .file, size: Int64(content.count), sha256: ArchiveDigest.hex(content)))
        }
        do {
            try ArchiveVerifier.verify(entries, against: manifest, limits: limits)
        } catch {
            throw refuse(error)
        }
        return manifest
    }

    /// Decodes what the fake `docker inspect` printed: the facts as JSON.
    nonisolated func containerFacts(
        fromInspect result: CommandResult, reference: String, dockerHome: String
    ) async throws(HostError) -> ContainerFacts {
        guard result.status == .exited(0) else {
            if result.standardError.contains("No such container") { throw .containerNotFound(reference: reference) }
            if result.standardError.contains("Multiple IDs found") {
                throw .ambiguousContainer(reference: reference, candidates: [])
            }
            throw .docker(message: result.standardError)
        }
        do {
            return try JSONDecoder().decode(ContainerFacts.self, from: Data(result.standardOutput.utf8))
        } catch {
            throw .docker(message: "cannot decode the fake inspect output: \(error)")
        }
    }

    // MARK: Files

    func fileType(at path: String) async throws(HostError) -> FileType? {
        world.fileType(path)
    }

    func fileSize(at path: String) async throws(HostError) -> Int? {
        if let error = world.injectedFailure(.fileSize, path) { throw error }
        if world.symbolicLinks.contains(path) { throw .symbolicLink(path: path) }
        if world.directories[path] != nil { throw .io(operation: "size", path: path, message: "not a regular file") }
        return world.files[path]?.count
    }

    func readFile(at path: String) async throws(HostError) -> [UInt8] {
        if let error = world.injectedFailure(.readFile, path) { throw error }
        if world.symbolicLinks.contains(path) { throw .symbolicLink(path: path) }
        guard let bytes = world.files[path] else { throw .notFound(path: path) }
        return bytes
    }

    func makeDirectory(at path: String, mode: UInt16) async throws(HostError) {
        if world.directories[path] != nil { return }
        if world.symbolicLinks.contains(path) { throw .symbolicLink(path: path) }
        try sideEffect(.makeDirectory(path, mode), .makeDirectory, path)
        var missing: [String] = []
        var current = path
        while world.directories[current] == nil, !current.isEmpty {
            missing.append(current)
            guard let slash = current.lastIndex(of: "/") else { break }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
        for directory in missing { world.directories[directory] = mode }
    }

    func writeFileAtomically(at path: String, contents: [UInt8], mode: UInt16) async throws(HostError) {
        try sideEffect(.writeAtomically(path), .writeAtomically, path)
        try requireParent(path)
        world.files[path] = contents
        world.fileModes[path] = mode
    }

    func appendDurably(to path: String, contents: [UInt8]) async throws(HostError) {
        try await append(to: path, contents: contents, synced: true)
    }

    func appendWithoutSync(to path: String, contents: [UInt8]) async throws(HostError) {
        try await append(to: path, contents: contents, synced: false)
    }

    private func append(to path: String, contents: [UInt8], synced: Bool) async throws(HostError) {
        let wasCrashed = world.crashed
        do {
            try sideEffect(.append(path), .append, path)
        } catch {
            if !wasCrashed, world.crashed, world.tearCrashingAppend {
                world.files[path, default: []] += contents.prefix(contents.count / 2)
            }
            throw error
        }
        try requireParent(path)
        if world.files[path] == nil { world.fileModes[path] = 0o600 }
        world.files[path, default: []] += contents
        world.appends.append(FakeAppend(path: path, synced: synced, bytes: contents))
        if synced {
            world.syncedLength[path] = world.files[path]?.count ?? 0
        } else if world.syncedLength[path] == nil {
            world.syncedLength[path] = 0
        }
    }

    func truncateFile(at path: String, toLength length: Int) async throws(HostError) {
        try sideEffect(.truncate(path, length), .truncate, path)
        guard let bytes = world.files[path] else { throw .notFound(path: path) }
        world.files[path] = Array(bytes.prefix(length))
    }

    func move(from source: String, to destination: String) async throws(HostError) {
        try sideEffect(.move(source, destination), .move, source)
        guard world.fileType(destination) == nil else {
            throw .io(operation: "rename", path: destination, message: "file exists")
        }
        if world.files[source] != nil {
            world.files[destination] = world.files.removeValue(forKey: source)
            return
        }
        guard let mode = world.directories.removeValue(forKey: source) else { throw .notFound(path: source) }
        world.directories[destination] = mode
        let prefix = source + "/"
        for key in world.files.keys where key.hasPrefix(prefix) {
            world.files[destination + "/" + key.dropFirst(prefix.count)] = world.files.removeValue(forKey: key)
        }
        for key in world.directories.keys where key.hasPrefix(prefix) {
            world.directories[destination + "/" + key.dropFirst(prefix.count)] = world.directories.removeValue(forKey: key)
        }
    }

    func removeFile(at path: String) async throws(HostError) {
        try sideEffect(.remove(path), .remove, path)
        guard world.files.removeValue(forKey: path) != nil else { throw .notFound(path: path) }
    }

    func removeEmptyDirectory(at path: String) async throws(HostError) {
        try sideEffect(.remove(path), .remove, path)
        guard world.directories[path] != nil else { throw .notFound(path: path) }
        guard world.children(of: path).isEmpty else {
            throw .io(operation: "rmdir", path: path, message: "directory not empty")
        }
        world.directories[path] = nil
    }

    func listDirectory(at path: String) async throws(HostError) -> [String] {
        guard world.directories[path] != nil else { throw .notFound(path: path) }
        return world.children(of: path)
    }

    /// Read-only: fails only where a `.checkTrusted` injection says so.
    func checkTrustedDirectory(at path: String) async throws(HostError) {
        if let error = world.injectedFailure(.checkTrusted, path) { throw error }
    }

    private func requireParent(_ path: String) throws(HostError) {
        guard let slash = path.lastIndex(of: "/") else { return }
        let parent = slash == path.startIndex ? "/" : String(path[..<slash])
        guard world.directories[parent] != nil else { throw .notFound(path: parent) }
    }

    // MARK: Mounts

    func mountTable() async throws(HostError) -> [MountEntry] {
        world.mounts
    }

    func unmount(_ path: String) async throws(HostError) {
        try sideEffect(.unmount(path), .unmount, path)
        guard let index = world.mounts.lastIndex(where: { $0.mountPoint == path }) else {
            throw .io(operation: "unmount", path: path, message: "not mounted")
        }
        world.mounts.remove(at: index)
    }

    // MARK: Processes

    func process(_ pid: Int) async -> RunningProcess? {
        world.processes[pid]
    }

    func processes(inGroup groupID: Int) async -> [RunningProcess] {
        world.processes.values.filter { $0.processGroupID == groupID }.sorted { $0.pid < $1.pid }
    }

    /// Removes the group's processes, unless the world keeps them (`unkillableGroups`).
    func killProcessGroup(_ groupID: Int) async throws(HostError) {
        world.calls.append(.killGroup(groupID))
        guard !world.unkillableGroups.contains(groupID) else { return }
        world.processes = world.processes.filter { $0.value.processGroupID != groupID }
    }

    // MARK: Locks

    func lock(_ path: String) async throws(HostError) -> any HostLock {
        world.calls.append(.lock(path))
        if let holder = world.foreignLocks[path] { throw .locked(path: path, holderPID: holder) }
        if world.heldLocks.contains(path) { throw .locked(path: path, holderPID: world.ownPID) }
        world.heldLocks.insert(path)
        world.files[path] = Array("\(world.ownPID)\n".utf8)
        return FakeLock(path: path, host: self)
    }

    func releaseLock(_ path: String) {
        world.calls.append(.release(path))
        world.heldLocks.remove(path)
    }

    // MARK: Time

    func now() async -> Timestamp {
        Timestamp(millisecondsSinceEpoch: world.clock)
    }

    func sleep(for duration: Duration) async {
        world.calls.append(.sleep(duration.wholeMilliseconds))
        world.clock += duration.wholeMilliseconds
        if var lingering = world.lingering, let polls = lingering.pollsLeft {
            if polls <= 1 {
                world.lingering = nil
                world.processes[lingering.pid] = nil
                lingering.onExit(&world)
            } else {
                lingering.pollsLeft = polls - 1
                world.lingering = lingering
            }
        }
    }
}

struct FakeLock: HostLock {
    let path: String
    let host: FakeHost

    func release() async {
        await host.releaseLock(path)
    }
}
