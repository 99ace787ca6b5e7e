import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// `operation: migrate` with `target.ssh`: the overlay2 engine's counter
    /// moves to the vfs engine reached through the private sshd on
    /// 127.0.0.1 (CRPLAN_SSH_*), so every target-side command, the staging
    /// dir and the image cross a real ssh hop.
    @Suite("Migrate over ssh")
    struct MigrateOverSSH {
        @Test("move over ssh: the target runs the counter, /foo unbroken and growing there, docker exec works, the source stopped")
        func moveOverSSH() async throws {
            try await withCounter("mig-ssh") { scenario in
                let environment = scenario.host.environment
                let keys = ["CRPLAN_SSH_DESTINATION", "CRPLAN_SSH_PORT", "CRPLAN_SSH_IDENTITY", "CRPLAN_SSH_KNOWN_HOSTS", "CRPLAN_SSH_CONTROL_DIR"]
                let ssh = keys.compactMap { environment[$0] }
                guard ssh.count == keys.count else { throw CommandError("CRPLAN_SSH_* are not set: run scripts/provision") }
                let vfs = try scenario.host.requireVFS()
                let source = scenario.daemon
                let targetName = scenario.counter.name + "-t"
                defer { Self.remove(targetName, on: vfs) }
                let lastOnSource = scenario.counter.values().last ?? 0

                let plan = """
                    version: 1
                    name: e2e-mig-ssh
                    container: \(scenario.counter.name)
                    operation: migrate
                    docker: {binary: \(source.binary), host: "\(source.host)", home: \(source.home)}
                    imageDir: \(scenario.workspace.file("staging"))
                    target:
                      docker: {binary: \(vfs.binary), host: "\(vfs.host)", home: \(vfs.home)}
                      name: \(targetName)
                      ssh:
                        destination: \(ssh[0])
                        port: \(ssh[1])
                        identityFile: \(ssh[2])
                        knownHostsFile: \(ssh[3])
                        controlDirectory: \(ssh[4])
                        options: {ConnectTimeout: 20}
                    restore:
                      checkpoint: e2e-mig-ssh
                    timeouts: {dump: 2m, restore: 2m}
                    """
                let path = scenario.workspace.file("migrate-ssh.yaml")
                try plan.write(toFile: path, atomically: true, encoding: .utf8)

                // The dry run prints every target command as the ssh argv that runs it.
                let dry = try await scenario.crplan.run(["plan", path])
                #expect(dry.exitCode == 0, "\(dry)")
                #expect(dry.standardOutput.contains("$ [target] ssh -F none -T -o BatchMode=yes -o StrictHostKeyChecking=yes"))

                let output = try await scenario.crplan.run(
                    ["apply", path, "--state-dir", scenario.crplan.stateDirectory, "--events", "json"], timeout: .seconds(600))
                let journal = Proc.read(scenario.crplan.stateDirectory + "/runs/e2e-mig-ssh/journal.jsonl") ?? "(no journal)"
                try #require(output.exitCode == 0, "crplan failed: \(output)\njournal:\n\(journal)")
                let events = try Crplan.events(output)
                let finished = events.filter { $0.kind == .stepFinished }.compactMap(\.step)
                for step in [StepKind.sendStaging, .verifyStaging, .applyChanges, .copyCheckpoint, .startTarget, .verifyMigration] {
                    #expect(finished.contains(step), "\(step.rawValue) did not finish: \(finished)")
                }
                let sshCommands = events.filter { $0.kind == .commandStarted && ($0.message ?? "").hasPrefix("ssh ") }
                #expect(sshCommands.count >= 8, "target commands over ssh: \(sshCommands.count)")

                let target = try await vfs.inspect(targetName)
                #expect(target.state.running)
                let ps = try await vfs.psStatus(target.id)
                #expect(ps?.contains(" Up ") == true, "docker ps on the target: \(ps ?? "(not listed)")")
                #expect(try await source.status(scenario.counter.id) != "running")

                // The counter continues on the target from where it stopped: one unbroken sequence, growing.
                let first = CounterValues.parse(try await vfs.run(["exec", targetName, "cat", "/foo"]))
                let grew = await eventually(timeout: .seconds(20), interval: .milliseconds(200)) {
                    let now = CounterValues.parse((try? await vfs.run(["exec", targetName, "cat", "/foo"])) ?? "")
                    return (now.last ?? -1) > (first.last ?? -1) + 2
                }
                #expect(grew, "/foo on the target stopped at \(first.last ?? -1)")
                let later = CounterValues.parse(try await vfs.run(["exec", targetName, "cat", "/foo"]))
                #expect(CounterValues.breakInSequence(later) == nil, "\(CounterValues.breakInSequence(later) ?? "")")
                #expect(later.first == 0 && (later.last ?? -1) > lastOnSource)
            }
        }

        static func remove(_ name: String, on daemon: DockerDaemon) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: daemon.binary)
            process.arguments = ["-H", daemon.host, "rm", "-f", name]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
        }
    }
}
