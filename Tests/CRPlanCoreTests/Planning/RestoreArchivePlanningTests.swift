import CRPlanCore
import Foundation
import Testing

/// `operation: restore` with `archive` compiles to open-archive and the
/// target half of a migration on the plan's own engine; the dry run prints
/// every command (golden), the run's values stay symbolic until it runs.
@Suite struct RestoreArchivePlanningTests {
    static func graph() throws -> StepGraph {
        let text = """
            version: 1
            name: counter-restore-archive
            container: counter
            operation: restore
            archive: /var/lib/crplan/archives/counter.tar.zst
            docker:
              host: unix:///run/other.sock
              home: /var/lib/other
            storage:
              driver: vfs
            restore:
              checkpoint: migrate-1

            """
        let plan = try #require(Linter.lint(text: text, file: "p.yaml").plan)
        return try Planner(environment: [:]).compile(plan)
    }

    @Test func theStepsOpenTheArchiveFirstAndStartOnce() throws {
        let graph = try Self.graph()
        #expect(graph.steps.map(\.id) == [
            "open-archive", "check-target", "create-target", "apply-changes", "copy-checkpoint", "start-target", "verify-migration",
        ])
        #expect(try graph.executionOrder().map(\.id) == graph.steps.map(\.id))
        #expect(graph.steps.filter(\.pointOfNoReturn).map(\.id) == ["start-target"])
        let open = try #require(graph.step(.openArchive))
        #expect(open.commands.allSatisfy { !($0.literalArgv?.first?.hasSuffix("docker") ?? false) }, "open-archive runs no docker command")
        #expect(open.undo == .commands([CommandTemplate(
            purpose: "remove this run's staging dir (the archive is kept)",
            arguments: ["rm", "--recursive", "--force", "--", "/var/lib/crplan/staging/${run.id}"], side: .target
        )]))
        #expect(graph.migrationTarget?.engine == ["docker", "-H", "unix:///run/other.sock"] && graph.migrationTarget?.name == "counter")
    }

    @Test func theRunValuesBindOpenArchiveAndNothingElse() throws {
        let open = try #require(try Self.graph().step(.openArchive))
        let symbolic = try open.bound(to: nil)
        #expect(symbolic.commands.contains { $0.literalArgv == nil })
        let bound = try open.bound(to: nil, run: RunValues(runID: "20261130T175253Z-1a2b", archiveUnpackBound: 268_435_457))
        #expect(bound.commands.allSatisfy { $0.literalArgv != nil })
        #expect(bound.commands.contains { $0.literalArgv == ["head", "--bytes", "268435457"] })
        #expect(bound.commands.contains { $0.literalArgv == ["env", "LC_ALL=C", "mkdir", "--mode=0700", "--", "/var/lib/crplan/staging/20261130T175253Z-1a2b"] })
        // a run id that is not one plain path component stays unbound
        #expect(try open.bound(to: nil, run: RunValues(runID: "../x")).paths.imageDir?.literalValue == nil)
    }

    @Test func theDryRunPrintsEveryCommand() throws {
        let text = try DryRunRenderer().render(try Self.graph(), as: .text)
        try GoldenFile.check(text, named: "counter-restore-archive.text")
        #expect(text.contains("$ [target] head --bytes ${archive.unpackBound}"))
    }
}
