import Foundation
import Testing
@testable import CRPlanCore

/// `operation: checkpoint` with `archive` (the two-job form, job 1) on the
/// recording test doubles: the archive is kept and the source stays stopped
/// (a copy runs on); a failed write-archive starts the source again from
/// its checkpoint (a copy runs on) and keeps the checkpoint; a kill at
/// any side effect is resumed to one archive and one checkpoint.
@Suite struct ExecutorCheckpointArchiveTests {
    static let archive = "/kept/web.tar.zst"

    static func plan(copy: Bool = false) -> String {
        """
        version: 1
        name: web
        container: \(Scenario.name)
        operation: checkpoint
        archive: \(archive)
        docker:
          host: \(MigrationFake.sourceSocket)
        imageDir: /staging
        \(copy ? "criu:\n  leaveRunning: true\n" : "")restore:
          checkpoint: arc-1

        """
    }

    static func world() -> FakeWorld { ExecutorMigrateTests.world() }

    /// A world whose `zstd` fails: write-archive fails after the checkpoint.
    static func worldFailingZstd() -> FakeWorld {
        var world = world()
        world.handlers.insert(.init(name: "zstd fails", matches: { $0.first == "zstd" }) { _, _ in
            CommandResult(status: .exited(1), standardError: "zstd: error 70 : Write error : cannot write block : No space left on device\n")
        }, at: 0)
        return world
    }

    @Test func theGraphIsTheSourceHalfOfAMigration() throws {
        let graph = Scenario.compile(Self.plan())
        #expect(graph.steps.map(\.id) == ["inspect", "check-archive", "checkpoint-create", "capture-changes", "write-archive"])
        #expect(graph.stagesCheckpoint)
        #expect(graph.migrationTarget == nil)
        #expect(graph.steps.allSatisfy { $0.commands.allSatisfy { $0.side != .target } })
        #expect(graph.step(.writeArchive)?.undo == .nothing)
        #expect(graph.step(.checkArchive)?.paths.archive == Template(literal: Self.archive))
        let checkpoint = try #require(graph.step(.checkpointCreate))
        #expect(checkpoint.summary.contains("stays stopped after success"))
        #expect(checkpoint.checks.contains(.containerNotRunning))
    }

    @Test(arguments: [false, true])
    func aRunKeepsTheArchiveAndLeavesTheSourceStoppedUnlessACopy(_ copy: Bool) async throws {
        let graph = Scenario.compile(Self.plan(copy: copy))
        let host = FakeHost(Self.world())
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let world = await host.world
        #expect(world.files[Self.archive] != nil, "the archive was not kept")
        #expect(world.files[Self.archive + ".partial"] == nil)
        #expect(world.containers[Scenario.containerID]?.facts.running == copy)
        #expect(!world.commandsRun.contains { MigrationFake.onSource($0, "start", "--checkpoint") }, "the source was started again")
        #expect(world.commandsRun.filter { MigrationFake.onSource($0, "checkpoint", "create") }.count == 1)
        #expect(world.commandsRun.contains { MigrationFake.onSource($0, "pause") } == copy)
        #expect(world.commandsRun.contains { MigrationFake.onSource($0, "unpause") } == copy)
        // The staging dir's checkpoint is the archive's source; nothing removes it.
        let staged = "/staging/\(report.runID)/arc-1/inventory.img"
        #expect(world.files[staged] != nil)
    }

    @Test func aFailedWriteArchiveStartsTheSourceAgainFromItsCheckpoint() async throws {
        let graph = Scenario.compile(Self.plan())
        let host = FakeHost(Self.worldFailingZstd())
        let recorder = EventRecorder()
        let report = try await Scenario.executor(host, observer: recorder).apply(graph)
        #expect(report.outcome == .rolledBack, "\(report.error ?? "")")
        #expect(report.failedStep == .writeArchive)
        #expect(recorder.events.filter { $0.kind == .stepRolledBack }.compactMap(\.step) == [.checkpointCreate])
        let world = await host.world
        let restart = try #require(world.commandsRun.first { MigrationFake.onSource($0, "start", "--checkpoint") }, "the source was not started again")
        #expect(restart.suffix(4) == ["--checkpoint", "arc-1", "--", Scenario.containerID])
        #expect(world.containers[Scenario.containerID]?.facts.running == true)
        #expect(world.files["/staging/\(report.runID)/arc-1/inventory.img"] != nil, "the checkpoint was lost")
        #expect(world.files[Self.archive] == nil)
    }

    /// capture-changes let the copy run on; the rollback does not unpause it again.
    @Test func aFailedWriteArchiveLeavesACopyRunning() async throws {
        let graph = Scenario.compile(Self.plan(copy: true))
        let host = FakeHost(Self.worldFailingZstd())
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .rolledBack, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        #expect(ran.filter { MigrationFake.onSource($0, "unpause") }.count == 1, "capture-changes lets the copy run on, once")
        #expect(!ran.contains { MigrationFake.onSource($0, "start", "--checkpoint") })
        #expect(await host.world.containers[Scenario.containerID]?.facts.running == true)
    }

    @Test func anExistingArchiveIsRefusedBeforeAnythingIsFrozen() async throws {
        let graph = Scenario.compile(Self.plan())
        var world = Self.world()
        world.write(Self.archive, "the operator's file")
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.failedStep == .checkArchive)
        #expect(report.error?.contains("\(Self.archive) already exists") == true, "\(report.error ?? "")")
        #expect(!(await host.world.commandsRun.contains { MigrationFake.onSource($0, "checkpoint", "create") }))
        #expect(await host.world.files[Self.archive] == Array("the operator's file".utf8))
    }

    @Test func aKillAtEverySideEffectIsResumedToOneCheckpointAndOneArchive() async throws {
        let graph = Scenario.compile(Self.plan())
        let clean = FakeHost(Self.world())
        #expect(try await Scenario.executor(clean).apply(graph).outcome == .succeeded)
        let total = await clean.world.sideEffects
        #expect(total > 10)
        for crashAt in 1...total {
            var world = Self.world()
            world.crashAtSideEffect = crashAt
            let host = FakeHost(world)
            _ = try? await Scenario.executor(host).apply(graph)
            await host.restartAfterCrash()
            let executor = Scenario.executor(host)
            let report: RunReport
            do {
                report = try await executor.resume(graph)
            } catch {
                guard error == .noRun(planName: graph.planName) else { throw error }
                report = try await executor.apply(graph)
            }
            let label = "kill at side effect \(crashAt) of \(total)"
            #expect(report.outcome == .succeeded, "\(label): \(report.error ?? "") \(report.notes)")
            let after = await host.world
            #expect(after.commandsRun.filter { MigrationFake.onSource($0, "checkpoint", "create") }.count == 1, "\(label): checkpointed twice")
            // a kill between zstd and the rename packs again into a new partial; the archive is published once
            #expect(after.calls.filter { $0 == .move(Self.archive + ".partial", Self.archive) }.count == 1, "\(label): published twice")
            #expect(after.files[Self.archive] != nil, "\(label): no archive")
            #expect(after.containers[Scenario.containerID]?.facts.running == false, "\(label): the source runs")
        }
    }
}
