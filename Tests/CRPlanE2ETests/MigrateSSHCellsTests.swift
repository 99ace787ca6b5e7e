import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// `operation: migrate` over the private sshd (CRPLAN_SSH_*) beyond the
    /// move: a copy, a rollback, and a crplan killed with SIGKILL as the
    /// staging dir is about to cross, each with the vfs engine as "the other
    /// machine" behind a real ssh hop. Each test removes its containers.
    @Suite("Migrate over ssh: copy, rollback, kill -9 at the transfer")
    struct MigrateOverSSHCells {
        static let sshSteps: [StepKind] = [
            .inspect, .checkTarget, .transferImage, .createTarget, .checkpointCreate, .captureChanges, .sendStaging, .verifyStaging,
            .applyChanges, .copyCheckpoint, .startTarget, .verifyMigration,
        ]

        @Test("S2. copy over ssh (criu.leaveRunning): both keep counting, each unbroken")
        func copyOverSSH() async throws {
            try await withMigration("mig-ssh-copy") { migration in
                let ssh = try SSHSpec.provisioned(migration.base.host.environment)
                let plan = migration.plan("mig-ssh-copy", copy: true, ssh: ssh)
                let output = try await migration.crplan.apply(plan)
                let events = try Expect.succeeded(output, steps: Self.sshSteps, journal: migration.crplan.journal(plan))
                #expect(Expect.outputs(of: .verifyMigration, in: events)["sourceStatus"] == "running")
                #expect(events.contains { $0.kind == .commandStarted && ($0.message ?? "").hasPrefix("ssh -F none ") })
                try await migration.targetIsUp()
                try await migration.targetContinues(after: nil)
                let source = try await migration.base.daemon.inspect(migration.counter.id)
                #expect(source.state.running && source.state.pid == migration.counter.originalPID)
                try await Expect.continues(migration.counter, pid: source.state.pid, lastBeforeDump: nil)
            }
        }

        @Test("S3. rollback over ssh: the target's start fails, the target is removed, the source restarts from its checkpoint and counts on")
        func rollbackOverSSH() async throws {
            try await withMigration("mig-ssh-rollback") { migration in
                let ssh = try SSHSpec.provisioned(migration.base.host.environment)
                // A target docker (run over ssh) that refuses `start` and passes everything else to the real one.
                let wrapper = migration.base.workspace.file("docker-no-start")
                try """
                    #!/bin/sh
                    for argument in "$@"; do
                      if [ "$argument" = start ]; then echo "refusing start on purpose (e2e)" >&2; exit 1; fi
                    done
                    exec \(migration.target.binary) "$@"

                    """.write(toFile: wrapper, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
                let plan = migration.plan("mig-ssh-rollback", binary: wrapper, ssh: ssh)
                let output = try await migration.crplan.apply(plan)
                #expect(output.exitCode == 1, "crplan: \(output)\n\(migration.crplan.journal(plan))")
                let events = try Crplan.events(output)
                #expect(events.filter { $0.kind == .stepFinished }.compactMap(\.step).contains(.verifyStaging))
                let rolledBack = events.filter { $0.kind == .stepRolledBack }.compactMap(\.step)
                #expect(rolledBack == [.checkpointCreate, .createTarget], "rolled back: \(rolledBack)")
                #expect(events.last?.outcome == "rolled-back")
                #expect(!(await migration.targetExists()), "the target container is still there")

                let source = try await migration.base.daemon.inspect(migration.counter.id)
                #expect(source.state.running, "the source did not start again: \(source.state)")
                #expect(migration.counter.workloadCopies().count == 1)
                try await Expect.continues(migration.counter, pid: source.state.pid, lastBeforeDump: nil)
                let staging = try migration.stagingDir(plan, events: events)
                #expect(FileManager.default.fileExists(atPath: staging + "/e2e-mig"), "the staged checkpoint was deleted")
                #expect(FileManager.default.fileExists(atPath: staging + "-received/e2e-mig"), "the received checkpoint is missing")
            }
        }

        @Test("S4. SIGKILL as send-staging starts the stream (the target's folder made): resume sends again into it and completes, one copy only")
        func killAtTheTransfer() async throws {
            try await withMigration("mig-ssh-kill") { migration in
                let ssh = try SSHSpec.provisioned(migration.base.host.environment)
                let plan = migration.plan("mig-ssh-kill", ssh: ssh)
                // The third command of send-staging is the tar | zstd | ssh … tar pipeline (after both mkdirs).
                let killed = try await migration.crplan.apply(plan, failpoint: "command-started:send-staging:3")
                #expect(killed.signal == SIGKILL, "crplan: \(killed)")
                let runID = try await migration.crplan.status(plan).run.runID
                let staging = try #require(plan.imageDir) + "/" + runID
                #expect(FileManager.default.fileExists(atPath: staging + "-received"), "the target's received folder was not made")
                let lastOnSource = try #require(await migration.counter.valuesOnceStill()?.last, "the source's /foo keeps changing")
                #expect(try await migration.base.daemon.status(migration.counter.id) == "exited")

                let resumed = try await migration.crplan.resume(plan)
                #expect(resumed.exitCode == 0, "resume: \(resumed)\n\(migration.crplan.journal(plan))")
                let events = try Crplan.events(resumed)
                #expect(events.first?.kind == .runResumed)
                let ran = events.filter { $0.kind == .stepFinished }.compactMap(\.step)
                #expect(ran == [.sendStaging, .verifyStaging, .applyChanges, .copyCheckpoint, .startTarget, .verifyMigration], "resume ran \(ran)")
                #expect(events.contains { $0.kind == .note && ($0.message ?? "").contains("earlier attempt of this run's step send-staging") })
                try await migration.targetIsUp()
                try await migration.targetContinues(after: lastOnSource)
                #expect(migration.counter.workloadCopies().isEmpty)
                #expect(try await migration.crplan.status(plan).run.phase == .succeeded)
            }
        }
    }
}
