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

        @Test("S4. SIGKILL as send-staging starts the stream (the target's folder made by create-target): resume sends again into it and completes, one copy only")
        func killAtTheTransfer() async throws {
            try await withMigration("mig-ssh-kill") { migration in
                let ssh = try SSHSpec.provisioned(migration.base.host.environment)
                let plan = migration.plan("mig-ssh-kill", ssh: ssh)
                // send-staging's second command is the tar | zstd | ssh … tar pipeline (after the stat of the received folder,
                // which create-target made before the freeze).
                let killed = try await migration.crplan.apply(plan, failpoint: "command-started:send-staging:2")
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
                #expect(!events.contains { $0.kind == .note && ($0.message ?? "").contains("earlier attempt") }, "the folder was made again")
                try await migration.targetIsUp()
                try await migration.targetContinues(after: lastOnSource)
                #expect(migration.counter.workloadCopies().isEmpty)
                #expect(try await migration.crplan.status(plan).run.phase == .succeeded)
            }
        }

        @Test("S5. SIGKILL while the stream flows (the received folder half full): no tar, zstd or ssh of the killed run is left, resume sends again, verifies and completes, one copy only")
        func killMidStream() async throws {
            try await withMigration("mig-ssh-midkill") { migration in
                let ssh = try SSHSpec.provisioned(migration.base.host.environment)
                // 96 MiB nothing compresses, written in the container's root: the stream takes a while to cross.
                try await migration.base.daemon.run(["exec", migration.counter.name, "/bin/sh", "-c",
                    "dd if=/dev/urandom of=/big bs=1048576 count=96 2>/dev/null && wc -c < /big"])
                let plan = migration.plan("mig-ssh-midkill", ssh: ssh)
                let imageDir = try #require(plan.imageDir)
                let crplan = try migration.crplan.launch([
                    "apply", try migration.base.workspace.write(plan), "--state-dir", migration.crplan.stateDirectory, "--events", "json",
                ])
                // Once the target's received folder holds 4 MiB, its tar (run by the private sshd) is stopped: the stream stalls half-way.
                var receiver: Int32?
                var receivedFolder: String?
                _ = await eventually(timeout: .seconds(180), interval: .milliseconds(5)) {
                    guard crplan.isRunning else { return true }
                    guard let folder = Self.receivedFolder(in: imageDir), Self.bytes(in: folder) > 4 << 20 else { return false }
                    receivedFolder = folder
                    receiver = Self.receivingTar(folder)
                    return receiver != nil
                }
                let receiverPID = try #require(receiver, "the stream ended before it could be stopped: \(crplan.standardOutput())")
                let received = try #require(receivedFolder)
                kill(receiverPID, SIGSTOP)
                let senders = Self.streamStages(of: crplan.pid)
                #expect(senders.count == 3, "crplan's tar | zstd | ssh: \(senders.map { Proc.commandLine($0) ?? [] })")

                kill(crplan.pid, SIGKILL)
                let killed = try await crplan.wait(timeout: .seconds(30))
                #expect(killed.signal == SIGKILL, "crplan: \(killed)")
                let strays = senders.filter(Proc.isAlive)
                let allGone = await eventually(timeout: .seconds(20)) { senders.allSatisfy { !Proc.isAlive($0) } }
                #expect(allGone, "left running after crplan's SIGKILL: \(strays.map { Proc.commandLine($0) ?? [] })")
                kill(receiverPID, SIGCONT)
                #expect(await eventually(timeout: .seconds(20)) { !Proc.isAlive(receiverPID) }, "the target's tar outlived its ssh session")
                let staging = String(received.dropLast("-received".count))
                #expect(Self.bytes(in: received) < Self.bytes(in: staging), "the received folder was complete before the kill")

                let lastOnSource = try #require(await migration.counter.valuesOnceStill()?.last, "the source's /foo keeps changing")
                let resumed = try await migration.crplan.resume(plan)
                #expect(resumed.exitCode == 0, "resume: \(resumed)\n\(migration.crplan.journal(plan))")
                let events = try Crplan.events(resumed)
                let ran = events.filter { $0.kind == .stepFinished }.compactMap(\.step)
                #expect(ran == [.sendStaging, .verifyStaging, .applyChanges, .copyCheckpoint, .startTarget, .verifyMigration], "resume ran \(ran)")
                #expect(Self.bytes(in: received) == Self.bytes(in: staging), "the received folder differs from the staging dir in size")
                try await migration.targetIsUp()
                try await migration.targetContinues(after: lastOnSource)
                let big = try await migration.target.run(["exec", migration.targetName, "/bin/sh", "-c", "wc -c < /big"])
                #expect(big.trimmingCharacters(in: .whitespacesAndNewlines) == String(96 << 20))
                #expect(migration.counter.workloadCopies().isEmpty)
                #expect(try await migration.crplan.status(plan).run.phase == .succeeded)
            }
        }

        /// `<imageDir>/<run id>-received`, once send-staging made it.
        static func receivedFolder(in imageDir: String) -> String? {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: imageDir)) ?? []
            return names.first { $0.hasSuffix("-received") }.map { imageDir + "/" + $0 }
        }

        /// The bytes of the regular files below `folder`.
        static func bytes(in folder: String) -> Int {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { return 0 }
            var total = 0
            while let name = walker.nextObject() as? String {
                let attributes = walker.fileAttributes
                if attributes?[.type] as? FileAttributeType == .typeRegular {
                    total += (attributes?[.size] as? Int) ?? 0
                }
                _ = name
            }
            return total
        }

        /// The `tar --extract` the private sshd runs into `folder`.
        static func receivingTar(_ folder: String) -> Int32? {
            Proc.allPIDs().first { pid in
                guard let argv = Proc.commandLine(pid), let program = argv.first else { return false }
                return (program == "tar" || program.hasSuffix("/tar")) && argv.contains("--extract") && argv.contains(folder)
            }
        }

        /// crplan's children running the stream's stages (`tar`, `zstd`, `ssh`).
        static func streamStages(of crplan: Int32) -> [Int32] {
            Proc.allPIDs().filter { pid in
                guard Proc.parent(pid) == crplan, let program = Proc.commandLine(pid)?.first else { return false }
                let name = program.split(separator: "/").last.map(String.init) ?? program
                return ["tar", "zstd", "ssh"].contains(name)
            }
        }
    }
}
