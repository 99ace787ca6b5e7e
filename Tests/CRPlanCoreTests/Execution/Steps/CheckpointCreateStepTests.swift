import Testing
@testable import CRPlanCore

/// Native `checkpoint-create`: in a roundtrip it runs `docker checkpoint
/// create` only, and `wait-container-exited` (polling) checks that Docker
/// reports the container stopped; a checkpoint-only plan keeps its own
/// `docker inspect` post-condition.
@Suite struct CheckpointCreateStepTests {
    static func dockerInspects(_ world: FakeWorld) -> Int {
        world.commandsRun.filter { Scenario.isCommand($0, "docker", "inspect") }.count
    }

    @Test func aNativeRoundtripAsksDockerOnceAfterTheCheckpoint() async throws {
        let host = FakeHost(Scenario.world())
        let graph = Scenario.graph(mode: .native)
        let step = try #require(graph.step(.checkpointCreate))
        #expect(step.commands.count == 1)
        #expect(step.checks.isEmpty)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        // inspect, one wait-container-exited poll, start-from-checkpoint's post-condition.
        #expect(Self.dockerInspects(await host.world) == 3)
        #expect(report.run[.waitContainerExited]?.outputs["status"] == "exited")
    }

    @Test(arguments: [false, true])
    func aCheckpointOnlyPlanKeepsItsPostCondition(leaveRunning: Bool) async throws {
        let graph = Scenario.graph(operation: .checkpoint, mode: .native, leaveRunning: leaveRunning)
        let step = try #require(graph.step(.checkpointCreate))
        #expect(step.commands.last?.output == .containerInspect)
        #expect(step.checks == [leaveRunning ? .containerRunning : .containerNotRunning])
    }

    /// Docker records the exit a moment after `docker checkpoint create`
    /// returns: the wait step's polls see it; nothing fails irreversibly.
    @Test func dockerLateToRecordTheExitIsWaitedFor() async throws {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "late checkpoint", matches: { Scenario.isCommand($0, "docker", "checkpoint", "create") }) { world, invocation in
            let result = Scenario.dockerCheckpointCreate().respond(&world, invocation)
            guard let id = invocation.argv.dropFirst(3).first else { return result }
            world.containers[id]?.facts.running = true
            world.containers[id]?.facts.status = "running"
            world.containers[id]?.exitNoticedAfterInspects = 2
            return result
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph(mode: .native))
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        #expect(report.run[.waitContainerExited]?.outputs["polls"] == "3")
    }

    @Test func aFailedCheckpointWithTheInitGoneIsIrreversible() async throws {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "failing checkpoint", matches: { Scenario.isCommand($0, "docker", "checkpoint", "create") }) { world, _ in
            world.processes[Scenario.initPID] = nil
            return CommandResult(status: .exited(1), standardError: "Error response from daemon: criu failed")
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph(mode: .native))
        #expect(report.failedStep == .checkpointCreate)
        #expect(report.run[.checkpointCreate]?.irreversibleFailure == true)
        #expect(report.notes.contains { $0.contains("is gone") })
        #expect(await host.world.count("docker", "start") == 0)
    }

    /// A resume after a crash during `docker checkpoint create` decides from
    /// `/proc` and Docker's folder: init alive → run it again; init gone and
    /// CRIU's inventory there → done; init gone without it → the operator.
    @Test(arguments: [("alive", false), ("done", true), ("unknown", false)])
    func anInterruptedCheckpointIsProbedWithoutDocker(_ case: String, _ writeInventory: Bool) async throws {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "crash", matches: { Scenario.isCommand($0, "docker", "checkpoint", "create") }) { world, _ in
            world.crashed = true
            return CommandResult(status: .signalled(9))
        }, at: 0)
        let host = FakeHost(world)
        let graph = Scenario.graph(mode: .native)
        _ = try? await Scenario.executor(host).apply(graph)
        await host.restartAfterCrash()
        await host.update { world in
            world.handlers.removeFirst()
            guard `case` != "alive" else { return }
            world.containerInitDied(Scenario.containerID, noticedAfterInspects: 0)
            let folder = Scenario.dockerCheckpointFolder(id: Scenario.containerID, name: "web")
            world.directories[folder] = 0o700
            if writeInventory { world.write(folder + "/inventory.img", "inventory") }
        }
        let inspectsBefore = Self.dockerInspects(await host.world)
        switch `case` {
        case "alive":
            let report = try await Scenario.executor(host).resume(graph)
            #expect(report.outcome == .succeeded, "\(report.error ?? "")")
            #expect(report.run[.checkpointCreate]?.attempts == 2)
        case "done":
            let report = try await Scenario.executor(host).resume(graph)
            #expect(report.outcome == .succeeded, "\(report.error ?? "")")
            #expect(report.run[.checkpointCreate]?.probed == true)
            // Only the interrupted attempt's command: never a second checkpoint.
            #expect(ExecutorNativeResumeTests.created(await host.world) == 1)
        default:
            await #expect(throws: ExecutorError.self) { try await Scenario.executor(host).resume(graph) }
            // The probe asked no docker inspect.
            #expect(Self.dockerInspects(await host.world) == inspectsBefore)
        }
    }
}
