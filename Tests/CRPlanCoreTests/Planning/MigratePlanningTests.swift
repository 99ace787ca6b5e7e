import CRPlanCore
import Foundation
import Testing

/// `operation: migrate` compiles to the printed step graph: its shape for a
/// move, a copy and `target.image: require`, each command's engine side, the
/// argv of both engines (golden), and what binding the source's facts binds.
@Suite struct MigratePlanningTests {
    static let target = MigrationTarget(
        docker: DockerSettings(binary: "docker", home: "/var/lib/other", host: "unix:///run/other.sock")
    )

    static func plan(leaveRunning: Bool = false, target: MigrationTarget = Self.target) throws -> Plan {
        Plan(
            name: "counter-migrate",
            container: try #require(ContainerReference("counter")),
            operation: .migrate,
            mode: .native,
            docker: DockerSettings(binary: "docker", home: "/var/lib/docker", host: "unix:///run/docker.sock"),
            criu: CRIUSettings(leaveRunning: leaveRunning),
            imageDir: "/var/lib/crplan/staging",
            restore: RestoreSettings(checkpoint: "migrate-1"),
            target: target
        )
    }

    static func compile(_ plan: Plan) throws -> StepGraph {
        try Planner(environment: [:]).compile(plan)
    }

    @Test func aMoveRunsEveryStepInOrder() throws {
        let graph = try Self.compile(Self.plan())
        #expect(graph.steps.map(\.id) == [
            "inspect", "check-target", "transfer-image", "create-target", "checkpoint-create", "capture-changes", "apply-changes",
            "copy-checkpoint", "start-target", "verify-migration",
        ])
        #expect(try graph.executionOrder().map(\.id) == graph.steps.map(\.id))
        #expect(graph.steps.filter(\.pointOfNoReturn).map(\.id) == ["start-target"])
    }

    @Test func anArchiveIsWrittenAfterTheChangesAreCapturedAndNeverUndone() throws {
        var plan = try Self.plan()
        plan.archive = "/kept/counter.tar.zst"
        let graph = try Self.compile(plan)
        #expect(graph.steps.map(\.id) == [
            "inspect", "check-target", "transfer-image", "create-target", "checkpoint-create", "capture-changes", "write-archive",
            "apply-changes", "copy-checkpoint", "start-target", "verify-migration",
        ])
        let step = try #require(graph.step(.writeArchive))
        #expect(step.undo == .nothing)
        #expect(step.produces == ["/kept/counter.tar.zst"])
        #expect(step.commands.allSatisfy { $0.side == .source })
        #expect(graph.step(.checkTarget)?.paths.archive == "/kept/counter.tar.zst")
        #expect(step.paths.archiveTree == "/var/lib/crplan/staging/${run.id}-archive")
        let staging = "/var/lib/crplan/staging/\(PlanningFixtures.migrationRunID)"
        let tree = staging + "-archive"
        #expect(try step.commands.map { try $0.bind(PlanningFixtures.migrationFacts) } == [
            ["rm", "--recursive", "--force", "--", tree],
            ["mkdir", "--mode=0700", "--", tree, tree + "/rootfs", tree + "/container"],
            ["cp", "--recursive", "--link", "--no-dereference", "--", staging + "/migrate-1", tree + "/checkpoint"],
            ["cp", "--link", "--no-dereference", "--", staging + "/rootfs-diff.tar", tree + "/rootfs/changes.tar"],
            ["find", tree, "-type", "f", "-exec", "sha256sum", "--", "{}", "+"],
            [
                "tar", "--create", "--file=-", "--directory=" + tree, "--format=posix", "--pax-option=delete=atime,delete=ctime",
                "--numeric-owner", "--owner=0", "--group=0", "--mode=u=rwX,go=", "--sort=name", "--no-acls", "--no-xattrs", "--no-selinux",
                "--", "manifest.json", "checkpoint", "container", "rootfs",
            ],
            ["zstd", "--quiet", "-T0", "-o", "/kept/counter.tar.zst.partial", "-"],
        ])
        #expect(step.commands.map(\.output) == [.ignored, .ignored, .ignored, .ignored, .fileDigests, .pipedToNext, .ignored])
        // The manifest's versions are asked by check-target, before the freeze (write-archive runs inside it).
        let check = try #require(graph.step(.checkTarget))
        #expect(try check.commands.suffix(3).map { try $0.bind(PlanningFixtures.migrationFacts) } == [
            ["docker", "-H", "unix:///run/docker.sock", "version", "--format", "{{.Server.Version}}"],
            ["uname", "--kernel-release"],
            ["criu", "--version"],
        ])
        #expect(check.commands.suffix(3).map(\.output) == [.engineVersion, .kernelRelease, .criuVersion])
        #expect(check.commands.suffix(3).allSatisfy { $0.side == .source })
        #expect(try Self.compile(try Self.plan()).step(.checkTarget)?.commands.count == 3, "without archive no version is asked")
    }

    @Test func requireSkipsTheTransferAndRemoveFinalizesTheSource() throws {
        var target = Self.target
        target.image = .require
        target.source = .remove
        let graph = try Self.compile(try Self.plan(target: target))
        #expect(!graph.steps.map(\.id).contains("transfer-image"))
        #expect(graph.steps.last?.id == "finalize-source")
        #expect(graph.step(.createTarget)?.dependsOn == [.checkTarget])
    }

    @Test func aCopyLeavesTheSourceRunningAndNeverRemovesIt() throws {
        var target = Self.target
        target.source = .remove
        let graph = try Self.compile(try Self.plan(leaveRunning: true, target: target))
        let checkpoint = try #require(graph.step(.checkpointCreate))
        let commands = try graph.argv(.checkpointCreate, facts: PlanningFixtures.migrationFacts)
        let staging = "/var/lib/crplan/staging/\(PlanningFixtures.migrationRunID)"
        #expect(commands[0] == ["realpath", "--canonicalize-missing", "--", staging, "/var/lib/docker", "/var/lib/other"])
        #expect(commands[1] == ["mkdir", "--parents", "--mode=0700", "--", "/var/lib/crplan/staging"])
        #expect(commands[2] == ["env", "LC_ALL=C", "mkdir", "--mode=0700", "--", staging])
        #expect(commands[3] == ["docker", "-H", "unix:///run/docker.sock", "pause", "--", PlanningFixtures.overlayID])
        #expect(commands[4] == [
            "docker", "-H", "unix:///run/docker.sock", "checkpoint", "create", "--leave-running",
            "--checkpoint-dir", "/var/lib/crplan/staging/\(PlanningFixtures.migrationRunID)", PlanningFixtures.overlayID, "migrate-1",
        ])
        #expect(checkpoint.checks == [
            .containerRunning,
            .freshStagingDir(path: "/var/lib/crplan/staging/${run.id}", dockerHomes: ["/var/lib/docker", "/var/lib/other"]),
        ])
        // Paused from the checkpoint until capture-changes let it run on; a rollback unpauses it.
        guard case .commands(let undo) = checkpoint.undo else {
            Issue.record("a copy's checkpoint-create must be undone by unpausing the source")
            return
        }
        #expect(try undo.map { try $0.bind(PlanningFixtures.migrationFacts) }
            == [["docker", "-H", "unix:///run/docker.sock", "unpause", "--", PlanningFixtures.overlayID]])
        #expect(try graph.argv(.captureChanges, facts: PlanningFixtures.migrationFacts).last
            == ["docker", "-H", "unix:///run/docker.sock", "unpause", "--", PlanningFixtures.overlayID])
        #expect(graph.steps.last?.id == "verify-migration")
    }

    @Test func everyCommandNamesItsEngineAndDockerTalksToThatEngine() throws {
        let graph = try Self.compile(Self.plan())
        for step in graph.steps where step.kind != .inspect {
            for command in step.commands {
                let side = try #require(command.side, "\(step.id): `\(command.purpose)` names no engine")
                guard case .value(let program) = command.arguments.first, program.literalValue == "docker" else { continue }
                let host: Argument = side == .target ? "unix:///run/other.sock" : "unix:///run/docker.sock"
                #expect(command.arguments[1...2] == ["-H", host], "\(step.id): `\(command.purpose)`")
            }
        }
    }

    @Test func imageMovesByIDAsATwoStagePipeline() throws {
        let transfer = try #require(try Self.compile(Self.plan()).step(.transferImage))
        #expect(transfer.commands.map(\.output) == [.pipedToNext, .ignored])
        #expect(transfer.commands.map(\.side) == [.source, .target])
        #expect(transfer.commands[0].arguments.last == "${source.image}")
    }

    @Test func bindingTheSourceFactsLeavesTargetValuesSymbolic() throws {
        let graph = try Self.compile(Self.plan()).bound(to: PlanningFixtures.migrationFacts)
        let capture = try #require(graph.step(.captureChanges)).commands.map(\.literalArgv)
        #expect(capture[1] == ["stat", "--format=%a", "--", "/var/lib/docker/overlay2/abc/diff"])
        #expect(capture[2] == [
            "tar", "--create", "--file", "/var/lib/crplan/staging/\(PlanningFixtures.migrationRunID)/rootfs-diff.tar",
            "--directory", "/var/lib/docker/overlay2/abc/diff", "--numeric-owner", "--xattrs", "--no-recursion", "--verbatim-files-from",
            "--files-from", "/var/lib/crplan/staging/\(PlanningFixtures.migrationRunID)/rootfs-changes.list",
        ])
        let copy = try #require(graph.step(.copyCheckpoint))
        #expect(copy.commands[1].literalArgv == nil)
        #expect(copy.commands[1].arguments.last == "/var/lib/other/containers/${target.id}/checkpoints/migrate-1")
        let create = try #require(graph.step(.createTarget))
        #expect(create.commands[0].arguments.contains(.sourceConfiguration(mounts: [])))
    }

    @Test func factsWithTheSourceConfigurationBindTheCreateCommand() throws {
        var facts = PlanningFixtures.migrationFacts
        facts.configuration = try SourceConfiguration(inspectJSON: try SourceConfigurationTests.fixture())
        let image = "sha256:57f7f6d06a75a0d5fbd13d4c90e41feb1f59e93b92c644bbf541646dcfea061f"
        let graph = try Self.compile(Self.plan())
        // The create command binds from the source's facts; the target's own values come later.
        let create = try #require(graph.step(.createTarget)?.commands.first).bind(facts)
        #expect(create.prefix(7) == ["docker", "-H", "unix:///run/other.sock", "create", "--name", "counter", "--network=none"])
        let imageIndex = try #require(create.firstIndex(of: image))
        #expect(Array(create[(imageIndex + 1)...]) == ["sh", "-c", "i=0; while true; do echo $i >> /foo; i=$((i+1)); sleep 0.2; done"])
        #expect(try graph.argv(.transferImage, facts: facts)[0] == ["docker", "-H", "unix:///run/docker.sock", "save", "--", image])

        var bridged = facts
        bridged.configuration?.networkMode = "bridge"
        #expect(throws: BindingError.self) { try graph.step(.createTarget)?.bound(to: bridged) }
    }

    @Test func aMoveRollsBackByStartingTheSourceFromItsCheckpoint() throws {
        let graph = try Self.compile(Self.plan()).bound(to: PlanningFixtures.migrationFacts)
        let checkpoint = try #require(graph.step(.checkpointCreate))
        guard case .commands(let undo) = checkpoint.undo else {
            Issue.record("a move's checkpoint-create must be undone by restarting the source")
            return
        }
        let id = PlanningFixtures.overlayID
        #expect(undo.map(\.literalArgv) == [
            ["mkdir", "--parents", "--", "/var/lib/docker/containers/\(id)/checkpoints"],
            ["cp", "--archive", "--no-target-directory", "--", "/var/lib/crplan/staging/\(PlanningFixtures.migrationRunID)/migrate-1", "/var/lib/docker/containers/\(id)/checkpoints/migrate-1"],
            ["docker", "-H", "unix:///run/docker.sock", "start", "--checkpoint", "migrate-1", "--", id],
        ])
        let create = try #require(graph.step(.createTarget))
        #expect(create.undo == .commands([CommandTemplate(
            purpose: "remove the target container",
            arguments: ["docker", "-H", "unix:///run/other.sock", "rm", "--force", "--", .value(Template(segments: [.variable(.targetID)]))], side: .target
        )]))
    }

    @Test func theDryRunPrintsEachEngine() throws {
        let text = try DryRunRenderer().render(try Self.compile(Self.plan()), as: .text)
        try GoldenFile.check(text, named: "counter-migrate.text")
        #expect(text.contains("$ [target] docker -H unix:///run/other.sock start --checkpoint migrate-1 -- ${target.id}"))
        let json = try DryRunRenderer().render(try Self.compile(Self.plan()), as: .json)
        try GoldenFile.check(json, named: "counter-migrate.json")
    }

    @Test func theGraphRoundTripsThroughJSON() throws {
        let graph = try Self.compile(Self.plan())
        let data = try JSONEncoder().encode(graph)
        #expect(try JSONDecoder().decode(StepGraph.self, from: data) == graph)
    }
}
