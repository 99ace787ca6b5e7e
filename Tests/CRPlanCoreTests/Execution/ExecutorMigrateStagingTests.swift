import Foundation
import Testing
@testable import CRPlanCore

/// A migrate stages in a new folder of its own, `<imageDir>/<run id>`:
/// made with `mkdir` without `--parents` (a folder that exists is refused
/// before anything is frozen), named by the run id journaled with the
/// facts (a resume finds its own folder again), and checked at run time
/// against the Docker data roots and the system folders.
@Suite struct ExecutorMigrateStagingTests {
    /// The `mkdir` of a staging dir (no `--parents`) on the source.
    static func makesStaging(_ argv: [String]) -> Bool {
        argv.contains("mkdir") && !argv.contains("--parents") && argv.last?.hasPrefix("/staging/") == true
    }

    /// What `mkdir` says about an existing folder: in English only in the C
    /// locale (as `env LC_ALL=C` runs it), else as a French machine would.
    static func exists(_ invocation: CommandInvocation) -> CommandResult {
        let path = invocation.argv.last ?? ""
        let english = invocation.argv.starts(with: ["env", "LC_ALL=C", "mkdir"])
        return CommandResult(status: .exited(1), standardError: english
            ? "mkdir: cannot create directory '\(path)': File exists\n"
            : "mkdir: impossible de créer le répertoire « \(path) »: Le fichier existe\n")
    }

    @Test func eachRunStagesInANewFolderNamedByItsRunID() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.plan())
        let host = FakeHost(ExecutorMigrateTests.world())
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let staging = "/staging/" + report.runID
        let ran = await host.world.commandsRun
        #expect(ran.contains(["mkdir", "--parents", "--mode=0700", "--", "/staging"]))
        #expect(ran.contains(["env", "LC_ALL=C", "mkdir", "--mode=0700", "--", staging]))
        let checkpoint = try #require(ran.first { MigrationFake.onSource($0, "checkpoint", "create") })
        #expect(checkpoint.contains(staging), "\(checkpoint)")
        #expect(!ran.contains { $0.contains("/staging") && !$0.contains { $0 == "/staging" || $0.hasPrefix(staging) } },
                "a command used a folder of /staging other than this run's")
    }

    @Test func aStagingDirThatExistsIsRefusedBeforeAnythingIsFrozen() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.plan())
        var world = ExecutorMigrateTests.world()
        world.handlers.insert(.init(name: "a staging dir planted earlier", matches: Self.makesStaging) { _, invocation in
            Self.exists(invocation)
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.failedStep == .checkpointCreate)
        #expect(report.error?.contains("exists already") == true, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        #expect(!ran.contains { MigrationFake.onSource($0, "checkpoint", "create") }, "the source was checkpointed")
        #expect(await host.world.containers[Scenario.containerID]?.facts.running == true)
    }

    @Test func aStagingDirWhoseRealPathIsInADockerHomeIsRefusedBeforeAnythingIsFrozen() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.plan())
        var world = ExecutorMigrateTests.world()
        // /staging -> <target docker home>/staging: only realpath, on the machine, can tell.
        world.handlers.insert(.init(name: "a link in imageDir's path", matches: { $0.first == "realpath" }) { _, invocation in
            let paths = invocation.argv.drop { $0 != "--" }.dropFirst()
            let resolved = paths.map { $0.hasPrefix("/staging/") ? MigrationFake.targetHome + $0 : $0 }
            return CommandResult(status: .exited(0), standardOutput: resolved.map { $0 + "\n" }.joined())
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.failedStep == .checkpointCreate)
        #expect(report.error?.contains("is really \(MigrationFake.targetHome)/staging/") == true, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        #expect(!ran.contains { MigrationFake.onSource($0, "checkpoint", "create") }, "the source was checkpointed")
        #expect(!ran.contains { Self.makesStaging($0) }, "the staging dir was made")
        #expect(await host.world.containers[Scenario.containerID]?.facts.running == true)
    }

    @Test func aResumeFindsTheStagingDirItsRunMade() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.plan())
        var world = ExecutorMigrateTests.world()
        // crplan dies right after it made the staging dir, before the checkpoint.
        world.handlers.insert(.init(name: "staging dir, then a crash", matches: Self.makesStaging) { world, invocation in
            let path = invocation.argv.last ?? ""
            if world.fileType(path) != nil {
                return Self.exists(invocation)
            }
            world.makeParent(of: path + "/x")
            world.crashAtSideEffect = world.sideEffects + 2
            return CommandResult(status: .exited(0))
        }, at: 0)
        let host = FakeHost(world)
        await #expect(throws: (any Error).self) { _ = try await Scenario.executor(host).apply(graph) }
        await host.restartAfterCrash()

        let report = try await Scenario.executor(host).resume(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let staging = "/staging/" + report.runID
        let ran = await host.world.commandsRun
        #expect(ran.filter { $0 == ["env", "LC_ALL=C", "mkdir", "--mode=0700", "--", staging] }.count == 2, "the resumed step made another folder")
        let checkpoints = ran.filter { MigrationFake.onSource($0, "checkpoint", "create") }
        #expect(checkpoints.count == 1 && checkpoints[0].contains(staging), "\(checkpoints)")
        #expect(ran.contains { $0.first == "cp" && $0.contains(staging + "/mig-1") })
    }

    @Test(arguments: [MigrationFake.targetHome + "/staging", "/var/lib/docker/containers", "/etc/crplan"])
    func theRunRefusesAStagingDirInADockerHomeOrASystemFolder(imageDir: String) async throws {
        // Lint refuses these; a plan made without it is checked again by the run.
        var plan = try #require(Linter.lint(text: ExecutorMigrateTests.plan(), file: "web.yaml").plan)
        plan.imageDir = Template(literal: imageDir)
        let graph = try Planner(environment: [:]).compile(plan)
        let host = FakeHost(ExecutorMigrateTests.world())
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.failedStep == .checkpointCreate)
        #expect(report.error?.contains("the staging dir \(imageDir)/") == true, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        #expect(!ran.contains { $0.first == "mkdir" || MigrationFake.onSource($0, "checkpoint", "create") })
    }

    /// Over ssh: the folder that receives the staging dir on the target is
    /// checked with a printed `stat` on every attempt (a resume reuses it by
    /// name): anything but a folder of root's with mode 700 stops the step
    /// before anything is unpacked into it.
    @Test(arguments: ["0 777 directory", "1000 700 directory", "0 777 symbolic link"])
    func aReceivingFolderThatIsNotRootsPrivateFolderIsRefused(status: String) async throws {
        let ssh = """
              ssh:
                destination: root@127.0.0.1
                port: 2222
                identityFile: /var/lib/crplan-e2e/ssh/id_ed25519
                knownHostsFile: /var/lib/crplan-e2e/ssh/known_hosts
            restore:
            """
        let graph = Scenario.compile(ExecutorMigrateTests.plan().replacingOccurrences(of: "restore:", with: ssh))
        var world = ExecutorMigrateTests.world()
        world.answersSSHAsTheRemoteMachine = true
        world.handlers.insert(.init(name: "a receiving folder someone changed", matches: { $0.starts(with: ["env", "LC_ALL=C", "stat"]) }) { _, _ in
            CommandResult(status: .exited(0), standardOutput: status + "\n")
        }, at: 0)
        let host = FakeHost(world)
        let executor = Executor(
            hosts: EngineHosts(source: host, target: graph.targetHost(over: host)),
            options: ExecutorOptions(stateDirectory: Scenario.stateDir, crplanVersion: "test"))
        let report = try await executor.apply(graph)
        #expect(report.failedStep == .sendStaging)
        #expect(report.error?.contains("-received on the target machine is `\(status)`") == true, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        #expect(!ran.contains { $0.contains("--extract") && $0.contains { $0.hasSuffix("-received") } }, "something was unpacked into it")
    }
}

