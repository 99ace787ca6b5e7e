import Foundation
import Testing
@testable import CRPlanCore

/// Over ssh, create-target makes the folder send-staging fills,
/// `<imageDir>/<run id>-received` on the target, before the freeze: its
/// real path checked, `mkdir` without `--parents` (one that exists is
/// refused before anything is frozen), the folder journaled; send-staging,
/// inside the frozen window, only checks it (`stat`) and streams into it.
@Suite struct CreateTargetReceivedFolderTests {
    static func sshPlan() -> String {
        ExecutorMigrateTests.plan().replacingOccurrences(of: "restore:", with: """
              ssh:
                destination: root@127.0.0.1
                port: 2222
                identityFile: /var/lib/crplan-e2e/ssh/id_ed25519
                knownHostsFile: /var/lib/crplan-e2e/ssh/known_hosts
            restore:
            """)
    }

    static func host() -> FakeHost {
        var world = ExecutorMigrateTests.world()
        world.answersSSHAsTheRemoteMachine = true
        return FakeHost(world)
    }

    static func executor(_ graph: StepGraph, _ host: FakeHost) -> Executor {
        Executor(
            hosts: EngineHosts(source: host, target: graph.targetHost(over: host)),
            options: ExecutorOptions(stateDirectory: Scenario.stateDir, crplanVersion: "test"))
    }

    /// A command as the machine that ran it saw it (an ssh line split back).
    static func remote(_ argv: [String]) -> [String] {
        guard argv.first == "ssh", let line = argv.last else { return argv }
        return RemoteShellQuotingTests.unquote(line)
    }

    @Test func theReceivedFolderIsMadeBeforeTheFreezeAndSendStagingOnlyStreams() async throws {
        let graph = Scenario.compile(Self.sshPlan())
        let host = Self.host()
        let report = try await Self.executor(graph, host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")

        let ran = await host.world.commandsRun.map(Self.remote)
        let received = try #require(ran.first { $0.starts(with: ["env", "LC_ALL=C", "mkdir"]) && ($0.last ?? "").hasSuffix("-received") }?.last)
        let made = try #require(ran.firstIndex { $0.starts(with: ["env", "LC_ALL=C", "mkdir"]) && $0.last == received })
        let resolved = try #require(ran.firstIndex { $0.first == "realpath" && $0.contains(received) })
        let checkpoint = try #require(ran.firstIndex { MigrationFake.onSource($0, "checkpoint", "create") })
        #expect(resolved < made && made < checkpoint, "realpath at \(resolved), mkdir at \(made), checkpoint at \(checkpoint)")
        #expect(ran.filter { $0.last == received && ($0.first == "mkdir" || $0.starts(with: ["env", "LC_ALL=C", "mkdir"])) }.count == 1)
        let create = try #require(report.run.steps.first { $0.step == .createTarget })
        #expect(create.outputs["receivedFolder"] == received)
        // after the freeze the received folder is neither resolved nor made again: the stream unpacks into it
        #expect(!ran[checkpoint...].contains { $0.contains(received) && ($0.first == "realpath" || $0.contains("mkdir")) })
        #expect(!ran[checkpoint...].contains { $0.first == "mkdir" && $0.contains("/staging") })
    }

    @Test func anExistingReceivedFolderIsRefusedBeforeAnythingIsFrozen() async throws {
        let graph = Scenario.compile(Self.sshPlan())
        // the run id is not known beforehand: any mkdir of a `-received` folder finds one there
        var world = ExecutorMigrateTests.world()
        world.answersSSHAsTheRemoteMachine = true
        world.handlers.insert(.init(name: "received exists", matches: {
            $0.starts(with: ["env", "LC_ALL=C", "mkdir"]) && ($0.last ?? "").hasSuffix("-received")
        }) { _, invocation in
            CommandResult(status: .exited(1), standardError: "mkdir: cannot create directory '\(invocation.argv.last ?? "")': File exists\n")
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Self.executor(graph, host).apply(graph)
        #expect(report.outcome != .succeeded)
        #expect(report.failedStep == .createTarget)
        #expect(report.error?.contains("exists already") == true, "\(report.error ?? "")")
        let ran = await host.world.commandsRun.map(Self.remote)
        #expect(!ran.contains { MigrationFake.onSource($0, "checkpoint", "create") }, "the source was frozen")
        #expect(!ran.contains { MigrationFake.onTarget($0, "create") }, "the target container was created")
    }

    @Test func aReceivedFolderInTheTargetsDataRootIsRefused() async throws {
        let graph = Scenario.compile(Self.sshPlan())
        var world = ExecutorMigrateTests.world()
        world.answersSSHAsTheRemoteMachine = true
        // imageDir's path on the target holds a link into the target's data root
        world.handlers.insert(.init(name: "realpath through a link", matches: { $0.first == "realpath" && $0.contains { $0.hasSuffix("-received") } }) { _, invocation in
            let paths = Array(invocation.argv.drop { $0 != "--" }.dropFirst())
            let resolved = [MigrationFake.targetHome + "/staging/x-received"] + paths.dropFirst()
            return CommandResult(status: .exited(0), standardOutput: resolved.map { $0 + "\n" }.joined())
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Self.executor(graph, host).apply(graph)
        #expect(report.failedStep == .createTarget)
        #expect(report.error?.contains("is really") == true, "\(report.error ?? "")")
        let ran = await host.world.commandsRun.map(Self.remote)
        #expect(!ran.contains { ($0.last ?? "").hasSuffix("-received") && $0.contains("mkdir") }, "the folder was made")
        #expect(!ran.contains { MigrationFake.onSource($0, "checkpoint", "create") })
    }

    @Test func aLocalMigrationMakesNoReceivedFolder() throws {
        let graph = Scenario.compile(ExecutorMigrateTests.plan())
        #expect(graph.step(.createTarget)?.commands.count == CreateTargetStep.ownCommands)
    }
}
