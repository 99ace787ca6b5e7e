import Foundation
@testable import CRPlanCore

/// Everything the recording test double simulates: an in-memory file
/// system, a mount table, processes, Docker's containers, a clock, locks
/// held by other processes, scripted commands, and injected failures.
struct FakeWorld: Sendable {
    struct Container: Sendable {
        var facts: ContainerFacts
        /// After a dump kills the init, Docker notices only after this many inspects.
        var exitNoticedAfterInspects: Int?
    }

    /// A scripted command: the first handler whose `matches` accepts the argv answers.
    struct CommandHandler: Sendable {
        var name: String
        var matches: @Sendable ([String]) -> Bool
        var respond: @Sendable (inout FakeWorld, CommandInvocation) -> CommandResult
    }

    /// A host operation that fails `times` times (`-1`: always) with `error`.
    struct Injection: Sendable {
        var operation: Operation
        var pathContains: String
        var times: Int
        var error: HostError
        /// Matching calls that still succeed before the failures start.
        var skip = 0
    }

    enum Operation: String, Sendable {
        case run, makeDirectory, writeAtomically, append, truncate, move, remove, unmount, readFile, fileSize, inspect, checkTrusted
    }

    var files: [String: [UInt8]] = [:]
    var fileModes: [String: UInt16] = [:]
    var directories: [String: UInt16] = ["/": 0o755]
    var symbolicLinks: Set<String> = []
    var mounts: [MountEntry] = []
    var processes: [Int: RunningProcess] = [:]
    var containers: [String: Container] = [:]
    var clock: Int64 = 1_714_564_800_000
    var commandDuration: Int64 = 100
    var nextPid = 5000
    var ownPID = 777
    /// Locks held by other processes: path → the pid they wrote.
    var foreignLocks: [String: Int] = [:]
    var heldLocks: Set<String> = []
    var handlers: [CommandHandler] = []
    var injections: [Injection] = []
    /// Every call, side effects and reads, in order.
    var calls: [HostCall] = []
    /// Every pipeline run, as its stages' argv.
    var pipelinesRun: [[[String]]] = []
    /// Commands spawned as `ssh … DEST 'remote line'` are answered as their remote line (RemoteHost over this host).
    var answersSSHAsTheRemoteMachine = false

    /// A child that outlives the command that started it (a `criu dump`
    /// still running after crplan died): it ends after `pollsLeft` host
    /// sleeps (never when nil), doing `onExit` to the world as it ends.
    struct LingeringChild: Sendable {
        var pid: Int
        var pollsLeft: Int?
        var onExit: @Sendable (inout FakeWorld) -> Void = { _ in }
    }

    /// Pids and start times the fake gives the children of commands.
    var nextChildPid = 30_000
    var nextChildStartTime: UInt64 = 900_000
    /// Every child reported through `onStart`, in order.
    var startedChildren: [StartedChild] = []
    /// The child of the command running now (handlers may make it linger).
    var currentChild: StartedChild?
    var lingering: LingeringChild?
    /// Process groups whose members survive `killProcessGroup` (a kill that does not take).
    var unkillableGroups: Set<Int> = []

    /// Crash simulation: the side effect with this 1-based index (and all
    /// after it) fails, as if crplan died just before it.
    var crashAtSideEffect: Int?
    /// When the crashing side effect is a journal append, write half the line.
    var tearCrashingAppend = false
    var sideEffects = 0
    var crashed = false
    /// Per appended file: how many of its bytes an fsync made durable
    /// (`appendDurably` syncs all; `appendWithoutSync` none of its own).
    var syncedLength: [String: Int] = [:]
    /// Every append in order: the file and whether it was fsynced, and the
    /// record types it wrote when the file is a journal.
    var appends: [FakeAppend] = []

    /// The machine crashed: every appended file keeps only what an fsync
    /// made durable.
    mutating func loseUnsyncedAppends() {
        for (path, length) in syncedLength {
            if let bytes = files[path], bytes.count > length { files[path] = Array(bytes.prefix(length)) }
        }
    }

    // MARK: Files

    func fileType(_ path: String) -> FileType? {
        if symbolicLinks.contains(path) { return .symbolicLink }
        if directories[path] != nil { return .directory }
        if files[path] != nil { return .regular }
        return nil
    }

    func text(_ path: String) -> String? {
        files[path].map { String(decoding: $0, as: UTF8.self) }
    }

    mutating func write(_ path: String, _ text: String) {
        ensureParent(of: path)
        files[path] = Array(text.utf8)
    }

    mutating func writeBytes(_ path: String, _ bytes: [UInt8]) {
        ensureParent(of: path)
        files[path] = bytes
    }

    mutating func ensureParent(of path: String) {
        var parent = path
        while let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
            parent = String(parent[..<slash])
            if directories[parent] == nil { directories[parent] = 0o755 }
        }
    }

    func children(of directory: String) -> [String] {
        let prefix = directory == "/" ? "/" : directory + "/"
        var names = Set<String>()
        for path in Array(files.keys) + Array(directories.keys) where path.hasPrefix(prefix) && path != directory {
            let rest = path.dropFirst(prefix.count)
            if let name = rest.split(separator: "/").first { names.insert(String(name)) }
        }
        return names.sorted()
    }

    // MARK: Docker

    /// The reference of a `docker [-H HOST] inspect --type container -- REF` argv, nil for other commands.
    static func inspectedReference(_ argv: [String]) -> String? {
        guard let index = argv.firstIndex(of: "inspect"), argv.first?.hasSuffix("docker") == true,
              argv.count == index + 5, argv[index + 1] == "--type", argv[index + 3] == "--" else { return nil }
        return argv[index + 4]
    }

    /// What `docker inspect` prints: the facts as JSON, or Docker's errors.
    /// An injected `.inspect` failure makes Docker fail with its message.
    mutating func inspect(_ reference: String) -> CommandResult {
        calls.append(.inspect(reference))
        if let error = injectedFailure(.inspect, reference) {
            return CommandResult(status: .exited(1), standardError: "Error response from daemon: \(error)")
        }
        let id: String
        do {
            id = try container(matching: reference)
        } catch .ambiguousContainer {
            return CommandResult(status: .exited(1), standardError: "Error: Multiple IDs found with provided prefix: \(reference)")
        } catch {
            return CommandResult(status: .exited(1), standardError: "Error: No such container: \(reference)")
        }
        if let remaining = containers[id]?.exitNoticedAfterInspects {
            if remaining <= 0 {
                dockerNoticesExit(id)
            } else {
                containers[id]?.exitNoticedAfterInspects = remaining - 1
            }
        }
        guard let container = containers[id], let json = try? JSONEncoder().encode(container.facts) else {
            return CommandResult(status: .exited(1), standardError: "Error: No such container: \(reference)")
        }
        return CommandResult(status: .exited(0), standardOutput: String(decoding: json, as: UTF8.self))
    }

    func container(matching reference: String) throws(HostError) -> String {
        if containers[reference] != nil { return reference }
        let byName = containers.filter { $0.value.facts.name == reference }.map(\.key)
        if byName.count == 1 { return byName[0] }
        let byPrefix = containers.keys.filter { $0.hasPrefix(reference) }.sorted()
        if byPrefix.count == 1 { return byPrefix[0] }
        if byPrefix.count > 1 { throw .ambiguousContainer(reference: reference, candidates: byPrefix) }
        throw .containerNotFound(reference: reference)
    }

    /// The container's init died (a dump): Docker notices after `inspects` inspects.
    mutating func containerInitDied(_ id: String, noticedAfterInspects inspects: Int) {
        guard var container = containers[id] else { return }
        processes[container.facts.pid] = nil
        container.exitNoticedAfterInspects = inspects
        containers[id] = container
        if inspects == 0 { dockerNoticesExit(id) }
    }

    mutating func dockerNoticesExit(_ id: String) {
        guard var container = containers[id] else { return }
        container.facts.running = false
        container.facts.status = "exited"
        container.facts.pid = 0
        container.exitNoticedAfterInspects = nil
        containers[id] = container
        mounts.removeAll { $0.mountPoint == container.facts.rootfs }
    }

    // MARK: Injected failures

    mutating func injectedFailure(_ operation: Operation, _ path: String) -> HostError? {
        guard let index = injections.firstIndex(where: { $0.operation == operation && path.contains($0.pathContains) && $0.times != 0 }) else {
            return nil
        }
        if injections[index].skip > 0 {
            injections[index].skip -= 1
            return nil
        }
        if injections[index].times > 0 { injections[index].times -= 1 }
        return injections[index].error
    }

    mutating func fail(_ operation: Operation, pathContains: String, times: Int = -1, after skip: Int = 0, error: HostError? = nil) {
        injections.append(Injection(
            operation: operation, pathContains: pathContains, times: times,
            error: error ?? .io(operation: operation.rawValue, path: pathContains, message: "injected failure"), skip: skip
        ))
    }
}

/// One call the executor made on the host, for assertions on the sequence.
/// One append a `FakeHost` made: the file, whether it was fsynced, the bytes.
struct FakeAppend: Sendable, Hashable {
    var path: String
    var synced: Bool
    var bytes: [UInt8]

    /// The record types on the journal lines it wrote.
    var recordTypes: [String] {
        bytes.split(separator: UInt8(ascii: "\n")).map { line in
            (try? JournalLine.decode(line).record.type) ?? "?"
        }
    }
}

enum HostCall: Sendable, Hashable {
    case run([String])
    case inspect(String)
    case makeDirectory(String, UInt16)
    case writeAtomically(String)
    case append(String)
    case truncate(String, Int)
    case move(String, String)
    case remove(String)
    case unmount(String)
    case lock(String)
    case release(String)
    case sleep(Int64)
    case killGroup(Int)
}
