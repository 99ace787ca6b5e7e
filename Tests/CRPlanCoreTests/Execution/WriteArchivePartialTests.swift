import Foundation
import Testing
@testable import CRPlanCore

/// write-archive's `zstd -o <archive>.partial` follows links: crplan first
/// writes the partial itself (the host refuses a folder another user can
/// write, and the write replaces any link there), only then runs zstd.
@Suite struct WriteArchivePartialTests {
    @Test func thePartialIsWrittenByCrplanBeforeZstdRuns() async throws {
        let plan = ExecutorMigrateTests.plan().replacingOccurrences(of: "restore:", with: "archive: /kept/web.tar.zst\nrestore:")
        let graph = Scenario.compile(plan)
        let host = FakeHost(ExecutorMigrateTests.world())
        let executor = Executor(
            hosts: EngineHosts(source: host, target: graph.targetHost(over: host)),
            options: ExecutorOptions(stateDirectory: Scenario.stateDir, crplanVersion: "test"))
        let report = try await executor.apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let calls = await host.world.calls
        let written = try #require(calls.firstIndex(of: .writeAtomically("/kept/web.tar.zst.partial")))
        let zstd = try #require(calls.firstIndex { if case .run(let argv) = $0 { argv.first == "zstd" } else { false } })
        #expect(written < zstd)
    }
}
