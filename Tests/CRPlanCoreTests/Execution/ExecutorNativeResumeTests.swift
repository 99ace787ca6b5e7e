import Testing
@testable import CRPlanCore

/// A native roundtrip (`docker checkpoint create`, `docker start
/// --checkpoint`) crashed before each host side effect, then resumed: one
/// checkpoint, one start, one copy of the workload. The fault matrix found
/// the resume stopping for an operator after a checkpoint that had finished.
@Suite struct ExecutorNativeResumeTests {
    static func created(_ world: FakeWorld) -> Int {
        world.commandsRun.filter { Scenario.isCommand($0, "docker", "checkpoint", "create") }.count
    }

    static func started(_ world: FakeWorld) -> Int {
        world.commandsRun.filter { Scenario.isCommand($0, "docker", "start", "--checkpoint") }.count
    }

    @Test func crashAtEverySideEffectThenResume() async throws {
        let clean = FakeHost(Scenario.world())
        _ = try await Scenario.executor(clean).apply(Scenario.graph(mode: .native))
        let total = await clean.world.sideEffects
        #expect(total > 10)
        for crashAt in 1...total {
            var world = Scenario.world()
            world.crashAtSideEffect = crashAt
            let host = FakeHost(world)
            let graph = Scenario.graph(mode: .native)
            do {
                _ = try await Scenario.executor(host).apply(graph)
                Issue.record("crash at \(crashAt): apply did not stop")
            } catch {}
            await host.restartAfterCrash()

            let report = try await ExecutorResumeTests().resumeOrApply(host, graph)
            let label = "native, crash at side effect \(crashAt)"
            #expect(report.outcome == .succeeded, "\(label): \(report.error ?? "") \(report.notes)")
            let after = await host.world
            #expect(Self.created(after) == 1, "\(label): checkpointed \(Self.created(after)) times")
            #expect(Self.started(after) == 1, "\(label): started \(Self.started(after)) times")
            let live = after.processes.values.filter { $0.commandLine == Scenario.command }
            #expect(live.count == 1, "\(label): \(live.count) copies run")
        }
    }
}
