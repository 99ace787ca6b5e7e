import CRPlanCore
import Foundation
import Testing

/// `operation: checkpoint` with `archive` compiles to migrate's source half
/// (no target, no second engine): its shape, its printed dry run (golden,
/// unbound and bound) and the rollback its checkpoint carries.
@Suite struct CheckpointArchivePlanningTests {
    static func plan(leaveRunning: Bool = false) throws -> Plan {
        Plan(
            name: "counter-archive",
            container: try #require(ContainerReference("counter")),
            operation: .checkpoint,
            mode: .native,
            docker: DockerSettings(binary: "docker", home: "/var/lib/docker", host: "unix:///run/docker.sock"),
            criu: CRIUSettings(leaveRunning: leaveRunning),
            imageDir: "/var/lib/crplan/staging",
            restore: RestoreSettings(checkpoint: "archive-1"),
            archive: "/var/lib/crplan/archives/counter.tar.zst"
        )
    }

    static func compile(_ plan: Plan) throws -> StepGraph {
        try Planner(environment: [:]).compile(plan)
    }

    @Test func theStepsAreMigratesSourceHalf() throws {
        let graph = try Self.compile(Self.plan())
        #expect(graph.steps.map(\.id) == ["inspect", "check-archive", "checkpoint-create", "capture-changes", "write-archive"])
        #expect(try graph.executionOrder().map(\.id) == graph.steps.map(\.id))
        #expect(graph.steps.filter(\.pointOfNoReturn).isEmpty)
        #expect(graph.stagesCheckpoint)
        #expect(graph.targetSSH == nil && graph.migrationTarget == nil)
    }

    @Test func withoutAnArchiveANativeCheckpointIsUnchanged() throws {
        var plan = try Self.plan()
        plan.archive = nil
        let graph = try Self.compile(plan)
        #expect(graph.steps.map(\.id) == ["inspect", "checkpoint-create"])
        #expect(!graph.stagesCheckpoint)
    }

    @Test func theSourceIsStartedAgainFromItsCheckpointOnRollback() throws {
        let graph = try Self.compile(Self.plan()).bound(to: PlanningFixtures.migrationFacts)
        let checkpoint = try #require(graph.step(.checkpointCreate))
        guard case .commands(let undo) = checkpoint.undo else {
            Issue.record("checkpoint-create must be undone by starting the source again")
            return
        }
        let id = PlanningFixtures.overlayID
        #expect(undo.map(\.literalArgv) == [
            ["mkdir", "--parents", "--", "/var/lib/docker/containers/\(id)/checkpoints"],
            [
                "cp", "--archive", "--no-target-directory", "--", "/var/lib/crplan/staging/\(PlanningFixtures.migrationRunID)/archive-1",
                "/var/lib/docker/containers/\(id)/checkpoints/archive-1",
            ],
            ["docker", "-H", "unix:///run/docker.sock", "start", "--checkpoint", "archive-1", "--", id],
        ])
        let copy = try Self.compile(Self.plan(leaveRunning: true)).bound(to: PlanningFixtures.migrationFacts)
        guard case .commands(let unpause) = try #require(copy.step(.checkpointCreate)).undo else {
            Issue.record("a copy's checkpoint-create must be undone by unpausing it")
            return
        }
        #expect(unpause.map(\.literalArgv) == [["docker", "-H", "unix:///run/docker.sock", "unpause", "--", id]])
    }

    @Test func theDryRunSaysTheSourceStaysStopped() throws {
        let text = try DryRunRenderer().render(try Self.compile(Self.plan()), as: .text)
        try GoldenFile.check(text, named: "counter-checkpoint-archive.text")
        #expect(text.contains("stays stopped after success"))
        let bound = try DryRunRenderer(facts: PlanningFixtures.migrationFacts).render(try Self.compile(Self.plan()), as: .text)
        try GoldenFile.check(bound, named: "counter-checkpoint-archive.bound.text")
        let copy = try DryRunRenderer().render(try Self.compile(Self.plan(leaveRunning: true)), as: .text)
        #expect(copy.contains("paused until its file changes are captured"))
        #expect(!copy.contains("stays stopped after success"))
    }
}
