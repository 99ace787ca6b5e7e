import Foundation
import Testing
@testable import CRPlanCore

/// `operation: migrate` is compiled and printed but not run yet: apply,
/// resume and rollback refuse its graph before any side effect.
@Suite struct ExecutorMigrateRefusalTests {
    @Test func everyCommandRefusesAMigrateGraphBeforeTouchingAnything() async throws {
        let graph = try MigratePlanningTests.compile(try MigratePlanningTests.plan())
        let host = FakeHost(Scenario.world())
        for command in ["apply", "resume", "rollback"] {
            let executor = Scenario.executor(host)
            await #expect(throws: ExecutorError.operationNotSupported(.migrate), "\(command)") {
                _ = try await command == "apply" ? executor.apply(graph)
                    : command == "resume" ? executor.resume(graph) : executor.rollback(graph)
            }
        }
        let after = await host.world
        #expect(after.commandsRun.isEmpty)
        #expect(after.heldLocks.isEmpty)
        #expect(after.files.keys.filter { $0.hasPrefix(Scenario.stateDir) }.isEmpty)
        #expect(ExecutorError.operationNotSupported(.migrate).exitCode == 2)
    }
}
