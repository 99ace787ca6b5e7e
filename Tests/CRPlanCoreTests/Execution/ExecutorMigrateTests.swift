import Foundation
import Testing
@testable import CRPlanCore

/// `operation: migrate` on the recording test doubles (the dry run equals
/// the run: `DryRunEqualsRunTests`): the target's host only ever runs commands (no file operation,
/// so it may be a machine reached over ssh), and a failed target start is
/// rolled back by removing the target and starting the source from its checkpoint.
@Suite struct ExecutorMigrateTests {
    static func plan(copy: Bool = false) -> String {
        """
        version: 1
        name: web
        container: \(Scenario.name)
        operation: migrate
        docker:
          host: \(MigrationFake.sourceSocket)
        imageDir: /staging
        target:
          docker:
            host: \(MigrationFake.targetSocket)
            home: \(MigrationFake.targetHome)
        \(copy ? "criu:\n  leaveRunning: true\n" : "")restore:
          checkpoint: mig-1

        """
    }

    static func world(targetHasImage: Bool = false, failStart: Bool = false) -> FakeWorld {
        var world = MigrationFake.world(Scenario.world(), containerID: Scenario.containerID, targetHasImage: targetHasImage, failStart: failStart)
        // The folder the archive plans keep their archive in (crplan writes its partial there).
        world.directories["/kept"] = 0o755
        return world
    }

    @Test func theTargetHostOnlyRunsCommands() async throws {
        let graph = Scenario.compile(Self.plan())
        let source = FakeHost(Self.world())
        var targetWorld = FakeWorld()
        targetWorld.handlers = MigrationFake.targetHandlers() + MigrationFake.sourceHandlers()
        let target = FakeHost(targetWorld)
        let executor = Executor(
            hosts: EngineHosts(source: source, target: target),
            options: ExecutorOptions(stateDirectory: Scenario.stateDir, crplanVersion: "test"))
        let report = try await executor.apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let targetCalls = await target.world.calls
        #expect(!targetCalls.isEmpty)
        for call in targetCalls {
            guard case .run(let argv) = call else {
                Issue.record("the target's host was asked for \(call), not a command")
                continue
            }
            #expect(!argv.contains(MigrationFake.sourceSocket), "a source command ran on the target: \(argv)")
        }
        let sourceRuns = await source.world.commandsRun
        #expect(!sourceRuns.contains { $0.contains(MigrationFake.targetSocket) && $0.contains("create") })
        #expect(await target.world.commandsRun.contains { $0.contains("start") && $0.contains(MigrationFake.targetID) })
    }

    @Test func aFailedTargetStartRemovesTheTargetAndStartsTheSourceFromItsCheckpoint() async throws {
        let graph = Scenario.compile(Self.plan())
        let host = FakeHost(Self.world(failStart: true))
        let recorder = EventRecorder()
        let report = try await Scenario.executor(host, observer: recorder).apply(graph)
        #expect(report.outcome == .rolledBack, "\(report.error ?? "")")
        #expect(report.failedStep == .startTarget)
        let rolledBack = recorder.events.filter { $0.kind == .stepRolledBack }.compactMap(\.step)
        #expect(rolledBack == [.checkpointCreate, .createTarget])
        let ran = await host.world.commandsRun
        let restart = try #require(ran.firstIndex { MigrationFake.onSource($0, "start", "--checkpoint") }, "the source was not started again")
        #expect(ran[restart].suffix(4) == ["--checkpoint", "mig-1", "--", Scenario.containerID])
        #expect(ran.contains { MigrationFake.onTarget($0, "rm", "--force", "--", MigrationFake.targetID) })
        #expect(await host.world.containers[Scenario.containerID]?.facts.running == true)
        #expect(MigrationFake.target(await host.world).created == false)
    }

    @Test func requireRefusesBeforeAnythingIsFrozen() async throws {
        let text = Self.plan().replacingOccurrences(of: "    home: \(MigrationFake.targetHome)\n", with: "    home: \(MigrationFake.targetHome)\n  image: require\n")
        let graph = Scenario.compile(text)
        let host = FakeHost(Self.world(targetHasImage: false))
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.failedStep == .checkTarget)
        #expect(report.error?.contains("target.image: require") == true, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        #expect(!ran.contains { $0.contains("checkpoint") || $0.contains("create") })
    }
}

extension ExecutorMigrateTests {
    @Test func theTargetNameOnTheTargetEngineIsLocked() async throws {
        let graph = Scenario.compile(Self.plan())
        let target = try #require(graph.migrationTarget)
        #expect(target.name == Scenario.name)
        #expect(target.engine == ["docker", "-H", MigrationFake.targetSocket])
        var world = Self.world()
        let lock = RunFolder(stateDirectory: Scenario.stateDir, planName: "web").targetLock(target.lockKey)
        world.foreignLocks[lock] = 4321
        let host = FakeHost(world)
        await #expect(throws: ExecutorError.locked(what: "target \(target.description)", path: lock, holderPID: 4321)) {
            _ = try await Scenario.executor(host).apply(graph)
        }
        #expect(await host.world.commandsRun.isEmpty)

        // Another engine or another name is another lock.
        let other = MigrationTargetKey(engine: target.engine, name: "other")
        #expect(other.lockKey != target.lockKey && other.lockKey.count == 32)
    }
}

extension ExecutorMigrateTests {
    @Test func aResumeAfterACrashInCreateTargetRemovesTheHalfMadeContainerAndCreatesItAgain() async throws {
        let graph = Scenario.compile(Self.plan())
        var world = Self.world()
        MigrationFake.setTarget(&world) { $0.crashAfterCreate = true }
        let host = FakeHost(world)
        await #expect(throws: (any Error).self) { _ = try await Scenario.executor(host).apply(graph) }
        #expect(MigrationFake.target(await host.world).created, "the crash came after docker create")
        await host.restartAfterCrash()

        let report = try await Scenario.executor(host).resume(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        let removal = try #require(ran.firstIndex { MigrationFake.onTarget($0, "rm", "--force", "--", MigrationFake.targetID) },
                                   "the half-made target container was not removed")
        let creates = ran.indices.filter { MigrationFake.onTarget(ran[$0], "create") }
        #expect(creates.count == 2 && creates[1] > removal, "docker create ran at \(creates), the removal at \(removal)")
        #expect(ran.filter { MigrationFake.onTarget($0, "start", "--checkpoint") }.count == 1)
        #expect(MigrationFake.target(await host.world).running)
    }
}

extension ExecutorMigrateTests {
    static func archivePlan(_ path: String = "/kept/web.tar.zst") -> String {
        plan().replacingOccurrences(of: "restore:", with: "archive: \(path)\nrestore:")
    }

    @Test func aResumeAfterTheArchiveWasRenamedButNotJournaledKeepsItAndGoesOn() async throws {
        let graph = Scenario.compile(Self.archivePlan())
        // where the rename is among the side effects of an uninterrupted run
        let probe = FakeHost(Self.world())
        #expect(try await Scenario.executor(probe).apply(graph).outcome == .succeeded)
        let rename = try #require(await probe.world.calls.firstIndex { $0 == .move("/kept/web.tar.zst.partial", "/kept/web.tar.zst") })

        var world = Self.world()
        world.crashAtSideEffect = rename + 2  // the rename is done, the step's end is not journaled
        let host = FakeHost(world)
        await #expect(throws: (any Error).self) { _ = try await Scenario.executor(host).apply(graph) }
        #expect(await host.world.files["/kept/web.tar.zst"] != nil, "the crash came after the rename")
        await host.restartAfterCrash()

        let report = try await Scenario.executor(host).resume(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        #expect(await host.world.commandsRun.filter { $0.first == "zstd" }.count == 1, "the archive was packed again")
        #expect(MigrationFake.target(await host.world).running)
    }

    @Test func anExistingArchiveStopsTheMigrationBeforeAnythingIsFrozen() async throws {
        let graph = Scenario.compile(Self.archivePlan())
        var world = Self.world()
        world.write("/kept/web.tar.zst", "the operator's file")
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome != .succeeded)
        #expect(report.error?.contains("/kept/web.tar.zst already exists") == true, "\(report.error ?? "")")
        #expect(!(await host.world.commandsRun.contains { MigrationFake.onSource($0, "checkpoint", "create") }))
        #expect(await host.world.files["/kept/web.tar.zst"] == Array("the operator's file".utf8))
    }

    @Test func anArchiveFolderAnotherUserCanChangeStopsTheMigrationBeforeAnythingIsFrozen() async throws {
        let graph = Scenario.compile(Self.archivePlan())
        var world = Self.world()
        world.injections.append(FakeWorld.Injection(
            operation: .checkTrusted, pathContains: "/kept", times: -1,
            error: .io(operation: "write under", path: "/kept", message: "/kept is writable by everyone (mode 1777)")))
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome != .succeeded)
        #expect(report.error?.contains("the archive's folder cannot take it") == true, "\(report.error ?? "")")
        #expect(report.error?.contains("/kept is writable by everyone") == true, "\(report.error ?? "")")
        #expect(!(await host.world.commandsRun.contains { MigrationFake.onSource($0, "checkpoint", "create") }))
    }
}
