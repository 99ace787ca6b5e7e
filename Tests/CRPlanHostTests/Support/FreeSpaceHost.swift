import CRPlanCore
import CRPlanHost

import Foundation

/// `SystemHost` that reports `available` free bytes everywhere (what a
/// nearly full disk looks like to code that asks the host before writing;
/// nil: the real figure) and records every pipeline it runs.
struct FreeSpaceHost: CRPlanCore.Host {
    /// The argv of every stage run, in order.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var stages: [[String]] = []
        func append(_ argv: [[String]]) { lock.withLock { stages += argv } }
        var argvs: [[String]] { lock.withLock { stages } }
    }

    let base = SystemHost()
    var available: Int64?
    let log = Log()

    var environment: [String: String] { base.environment }
    func run(_ invocation: CommandInvocation) async throws(HostError) -> CommandResult { try await base.run(invocation) }
    func containerFacts(fromInspect result: CommandResult, reference: String, dockerHome: String) async throws(HostError) -> ContainerFacts {
        try await base.containerFacts(fromInspect: result, reference: reference, dockerHome: dockerHome)
    }
    func runPipeline(_ pipeline: CommandPipeline) async throws(HostError) -> CommandResult {
        log.append(pipeline.stages.map(\.argv))
        return try await base.runPipeline(pipeline)
    }
    func fileType(at path: String) async throws(HostError) -> FileType? { try await base.fileType(at: path) }
    func readFile(at path: String) async throws(HostError) -> [UInt8] { try await base.readFile(at: path) }
    func makeDirectory(at path: String, mode: UInt16) async throws(HostError) { try await base.makeDirectory(at: path, mode: mode) }
    func writeFileAtomically(at path: String, contents: [UInt8], mode: UInt16) async throws(HostError) {
        try await base.writeFileAtomically(at: path, contents: contents, mode: mode)
    }
    func appendDurably(to path: String, contents: [UInt8]) async throws(HostError) { try await base.appendDurably(to: path, contents: contents) }
    func truncateFile(at path: String, toLength length: Int) async throws(HostError) { try await base.truncateFile(at: path, toLength: length) }
    func move(from source: String, to destination: String) async throws(HostError) { try await base.move(from: source, to: destination) }
    func removeFile(at path: String) async throws(HostError) { try await base.removeFile(at: path) }
    func removeEmptyDirectory(at path: String) async throws(HostError) { try await base.removeEmptyDirectory(at: path) }
    func listDirectory(at path: String) async throws(HostError) -> [String] { try await base.listDirectory(at: path) }
    func availableBytes(at path: String) async throws(HostError) -> Int64? {
        if let available { return available }
        return try await base.availableBytes(at: path)
    }
    func mountTable() async throws(HostError) -> [MountEntry] { try await base.mountTable() }
    func unmount(_ path: String) async throws(HostError) { try await base.unmount(path) }
    func process(_ pid: Int) async -> RunningProcess? { await base.process(pid) }
    func processes(inGroup groupID: Int) async -> [RunningProcess] { await base.processes(inGroup: groupID) }
    func killProcessGroup(_ groupID: Int) async throws(HostError) { try await base.killProcessGroup(groupID) }
    func lock(_ path: String) async throws(HostError) -> any HostLock { try await base.lock(path) }
    func now() async -> Timestamp { await base.now() }
    func sleep(for duration: Duration) async { await base.sleep(for: duration) }
    func fileSize(at path: String) async throws(HostError) -> Int? { try await base.fileSize(at: path) }
}
