import CRPlanCore
import Foundation
import Testing

/// `target.ssh`: the planner resolves it into the graph's `SSHTarget`,
/// adds send-staging and verify-staging, compresses the image stream, and
/// the dry run prints every target-side command as the ssh argv that
/// `RemoteHost.commandLine(for:)` runs.
@Suite struct MigrateSSHPlanningTests {
    static let ssh = SSHSettings(
        destination: "root@127.0.0.1", port: 2222, identityFile: "/var/lib/crplan-e2e/ssh/id_ed25519",
        knownHostsFile: "/var/lib/crplan-e2e/ssh/known_hosts", controlDirectory: "/var/lib/crplan-e2e/ssh/control"
    )

    static func plan(ssh: SSHSettings = Self.ssh) throws -> Plan {
        var target = MigratePlanningTests.target
        target.ssh = ssh
        return try MigratePlanningTests.plan(target: target)
    }

    static func compile(_ plan: Plan, environment: [String: String] = [:]) throws -> StepGraph {
        try Planner(environment: environment).compile(plan)
    }

    static let staging = "/var/lib/crplan/staging/\(PlanningFixtures.migrationRunID)"

    @Test func theStagingDirIsSentAndCheckedBeforeAnythingIsApplied() throws {
        let graph = try Self.compile(Self.plan())
        #expect(graph.steps.map(\.id) == [
            "inspect", "check-target", "transfer-image", "create-target", "checkpoint-create", "capture-changes", "send-staging",
            "verify-staging", "apply-changes", "copy-checkpoint", "start-target", "verify-migration",
        ])
        #expect(try graph.executionOrder().map(\.id) == graph.steps.map(\.id))
        #expect(graph.steps.filter(\.pointOfNoReturn).map(\.id) == ["start-target"])

        let send = try #require(graph.step(.sendStaging))
        #expect(send.commands.map(\.side) == [.target, .target, .target, .target, .source, .source, .target])
        #expect(send.commands.map(\.output) == [.stagingRealPath, .ignored, .ignored, .ignored, .pipedToNext, .pipedToNext, .ignored])
        let received = Self.staging + "-received"
        #expect(try graph.argv(.sendStaging, facts: PlanningFixtures.migrationFacts) == [
            ["realpath", "--canonicalize-missing", "--", received, "/var/lib/other"],
            ["mkdir", "--parents", "--mode=0700", "--", "/var/lib/crplan/staging"],
            ["env", "LC_ALL=C", "mkdir", "--mode=0700", "--", received],
            ["env", "LC_ALL=C", "stat", "--format=%u %a %F", "--", received],
            ["tar", "--create", "--file", "-", "--directory", Self.staging, "--numeric-owner", "--xattrs", "."],
            ["zstd", "--quiet", "--stdout"],
            ["tar", "--extract", "--zstd", "--file", "-", "--directory", received, "--numeric-owner", "--xattrs", "--same-permissions"],
        ])
        #expect(try graph.argv(.verifyStaging, facts: PlanningFixtures.migrationFacts) == [
            ["env", "--chdir", Self.staging, "find", ".", "-type", "f", "-exec", "sha256sum", "--", "{}", "+"],
            ["env", "--chdir", received, "sha256sum", "--check", "--strict", "--quiet", "-"],
        ])
        // The target reads what it received; the local inputs check reads this machine's staging dir.
        let copy = try #require(graph.step(.copyCheckpoint)).commands[1].bound(to: PlanningFixtures.migrationFacts)
        let words = copy.arguments.compactMap { argument -> String? in
            guard case .value(let template) = argument else { return nil }
            return template.literalValue
        }
        #expect(words.contains(received + "/migrate-1"), "\(words)")
        #expect(try #require(graph.step(.verifyStaging)).commands.map(\.side) == [.source, .target])
        #expect(try #require(graph.step(.applyChanges)).dependsOn == [.verifyStaging])
    }

    @Test func theImageCrossesGzippedBecauseDockerLoadReadsNoZstd() throws {
        let transfer = try #require(try Self.compile(Self.plan()).step(.transferImage))
        #expect(transfer.commands.map(\.side) == [.source, .source, .target])
        #expect(transfer.commands.map(\.output) == [.pipedToNext, .pipedToNext, .ignored])
        #expect(transfer.commands[1].arguments == ["gzip", "--fast", "--stdout"])
        #expect(transfer.commands[2].arguments.suffix(1) == ["load"])
    }

    @Test func aLocalMigrationHasNoSendStepAndNoSSH() throws {
        let graph = try MigratePlanningTests.compile(MigratePlanningTests.plan())
        #expect(graph.targetSSH == nil)
        #expect(graph.step(.sendStaging) == nil && graph.step(.verifyStaging) == nil)
        #expect(graph.step(.transferImage)?.commands.count == 2)
    }

    @Test func theEnvironmentFillsTheSSHFieldsAndTheDefaultFolderIsRun() throws {
        let templated = SSHSettings(
            destination: "${env.CRPLAN_SSH_DESTINATION}", port: "${env.CRPLAN_SSH_PORT:-22}", identityFile: "${env.KEY}"
        )
        let graph = try Self.compile(
            Self.plan(ssh: templated), environment: ["CRPLAN_SSH_DESTINATION": "deploy@host-b.example", "KEY": "/etc/crplan/key"])
        let target = try #require(graph.targetSSH)
        #expect(target.destination == "deploy@host-b.example")
        #expect(target.port == 22)
        #expect(target.identityFile == "/etc/crplan/key")
        #expect(target.multiplexing == SSHMultiplexing(controlDirectory: "/run/crplan/ssh", persistSeconds: 30))
    }

    @Test(arguments: [
        ["CRPLAN_SSH_DESTINATION": "-oProxyCommand=id", "KEY": "/k"],
        ["CRPLAN_SSH_DESTINATION": "root@host;reboot", "KEY": "/k"],
        ["CRPLAN_SSH_DESTINATION": "root@h", "KEY": "relative/key"],
        ["CRPLAN_SSH_DESTINATION": "root@h", "KEY": "/k", "PORT": "22 -R 1:h:1"],
        ["CRPLAN_SSH_DESTINATION": "root@h", "KEY": "/k", "PORT": "0"],
    ])
    func hostileEnvironmentValuesAreRefused(environment: [String: String]) throws {
        let templated = SSHSettings(destination: "${env.CRPLAN_SSH_DESTINATION}", port: "${env.PORT:-22}", identityFile: "${env.KEY}")
        let plan = try Self.plan(ssh: templated)
        #expect(throws: PlanningError.self) { try Self.compile(plan, environment: environment) }
    }

    /// The one resolution path: the line `crplan plan --inspect` prints for a
    /// target-side command is the argv `RemoteHost` spawns for it.
    @Test func theDryRunPrintsTheArgvTheRemoteHostRuns() throws {
        let graph = try Self.compile(Self.plan())
        let target = try #require(graph.targetSSH)
        let text = try DryRunRenderer(facts: PlanningFixtures.migrationFacts).render(graph, as: .text)
        let bound = try graph.bound(to: PlanningFixtures.migrationFacts)
        var checked = 0
        for step in bound.steps {
            for command in step.commands where command.side == .target {
                guard let argv = command.literalArgv else { continue }
                let ssh = try target.argv(running: argv)
                #expect(text.contains("$ [target] " + ShellQuoting.line(Array(ssh.dropLast())) + " \""), "\(step.id)")
                #expect(text.contains(ssh.last ?? "-"), "\(step.id): \(ssh.last ?? "")")
                checked += 1
            }
        }
        #expect(checked >= 6)
        #expect(text.contains("-o ControlMaster=auto -o ControlPath=/var/lib/crplan-e2e/ssh/control/%C -o ControlPersist=30s -- root@127.0.0.1"))
        #expect(!text.contains("$ [target] docker"))
    }

    @Test func theDryRunIsGolden() throws {
        let graph = try Self.compile(Self.plan())
        try GoldenFile.check(try DryRunRenderer().render(graph, as: .text), named: "counter-migrate-ssh.text")
        let data = try JSONEncoder().encode(graph)
        #expect(try JSONDecoder().decode(StepGraph.self, from: data) == graph)
    }
}
