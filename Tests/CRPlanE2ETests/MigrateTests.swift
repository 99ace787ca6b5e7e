import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// `operation: migrate` from the overlay2 engine to the vfs engine (issue 10).
    @Suite("Migrate between the two local engines")
    struct Migrate {
        static let moveSteps: [StepKind] = [
            .inspect, .checkTarget, .transferImage, .createTarget, .checkpointCreate, .captureChanges, .applyChanges,
            .copyCheckpoint, .startTarget, .verifyMigration,
        ]

        @Test("M1. move overlay2 → vfs: the target is Up, docker exec works, /foo continues unbroken; the source stays stopped")
        func move() async throws {
            try await withMigration("mig-move") { migration in
                let plan = migration.plan("mig-move")
                let output = try await migration.crplan.apply(plan)
                let events = try Expect.succeeded(output, steps: Self.moveSteps, journal: migration.crplan.journal(plan))
                #expect(Expect.outputs(of: .verifyMigration, in: events)["sourceStatus"] == "exited")

                let source = try await migration.base.daemon.inspect(migration.counter.id)
                #expect(!source.state.running, "the source runs again: \(source.state)")
                let lastOnSource = try #require(migration.counter.values().last, "no values left on the source")
                try await migration.targetIsUp()
                try await migration.targetContinues(after: lastOnSource)
                #expect(migration.counter.workloadCopies().isEmpty, "a copy runs on the source: \(migration.counter.workloadCopies())")
                #expect(try await migration.crplan.status(plan).run.phase == .succeeded)
            }
        }

        @Test("M6. and back: move vfs → overlay2; the target is Up and /foo continues unbroken")
        func moveBack() async throws {
            try await withMigration("mig-back", fromVFS: true) { migration in
                let plan = migration.plan("mig-back")
                let output = try await migration.crplan.apply(plan)
                let events = try Expect.succeeded(output, steps: Self.moveSteps, journal: migration.crplan.journal(plan))
                #expect(Expect.outputs(of: .captureChanges, in: events)["rootMode"] == "700", "the vfs engine makes roots 0700")
                let lastOnSource = try #require(migration.counter.values().last, "no values left on the source")
                try await migration.targetIsUp()
                try await migration.targetContinues(after: lastOnSource)
                #expect(migration.counter.workloadCopies().isEmpty)
            }
        }

        @Test("M2. copy (criu.leaveRunning): both continue, each unbroken")
        func copy() async throws {
            try await withMigration("mig-copy") { migration in
                let plan = migration.plan("mig-copy", copy: true)
                let output = try await migration.crplan.apply(plan)
                let events = try Expect.succeeded(output, steps: Self.moveSteps, journal: migration.crplan.journal(plan))
                #expect(Expect.outputs(of: .verifyMigration, in: events)["sourceStatus"] == "running")
                try await migration.targetIsUp()
                try await migration.targetContinues(after: nil)
                let source = try await migration.base.daemon.inspect(migration.counter.id)
                #expect(source.state.running && source.state.pid == migration.counter.originalPID)
                try await Expect.continues(migration.counter, pid: source.state.pid, lastBeforeDump: nil)
            }
        }

        @Test("M3. the target's start fails: rollback removes the target and restarts the source from the checkpoint; /foo continues there")
        func targetStartFails() async throws {
            try await withMigration("mig-rollback") { migration in
                // A target docker that refuses `start` (and passes everything else to the real one).
                let wrapper = migration.base.workspace.file("docker-no-start")
                let real = migration.target.binary
                try """
                    #!/bin/sh
                    for argument in "$@"; do
                      if [ "$argument" = start ]; then echo "refusing start on purpose (e2e)" >&2; exit 1; fi
                    done
                    exec \(real) "$@"

                    """.write(toFile: wrapper, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
                let plan = migration.plan("mig-rollback", binary: wrapper)
                let output = try await migration.crplan.apply(plan)
                #expect(output.exitCode == 1, "crplan: \(output)\n\(migration.crplan.journal(plan))")
                let events = try Crplan.events(output)
                let rolledBack = events.filter { $0.kind == .stepRolledBack }.compactMap(\.step)
                #expect(rolledBack == [.checkpointCreate, .createTarget], "rolled back: \(rolledBack)")
                #expect(events.last?.outcome == "rolled-back")
                #expect(!(await migration.targetExists()), "the target container is still there")

                let source = try await migration.base.daemon.inspect(migration.counter.id)
                #expect(source.state.running, "the source did not start again: \(source.state)")
                let ps = try await migration.base.daemon.psStatus(migration.counter.id)
                #expect(ps?.contains(" Up ") == true, "docker ps on the source: \(ps ?? "(not listed)")")
                #expect(migration.counter.workloadCopies().count == 1)
                try await Expect.continues(migration.counter, pid: source.state.pid, lastBeforeDump: nil)
                let staging = try migration.stagingDir(plan, events: events)
                #expect(FileManager.default.fileExists(atPath: staging + "/e2e-mig"), "the staged checkpoint was deleted")
                #expect(try await migration.crplan.status(plan).run.phase == .rolledBack)
            }
        }

        @Test("M4. SIGKILL right after the checkpoint: resume completes, one copy only")
        func killAfterCheckpoint() async throws {
            try await withMigration("mig-kill") { migration in
                let plan = migration.plan("mig-kill")
                let killed = try await migration.crplan.apply(plan, failpoint: "step-finished:checkpoint-create")
                #expect(killed.signal == SIGKILL, "crplan: \(killed)")
                let lastOnSource = try #require(await migration.counter.valuesOnceStill()?.last, "the source's /foo keeps changing")
                #expect(try await migration.base.daemon.status(migration.counter.id) == "exited")
                let target = try await migration.target.inspect(migration.targetName)
                #expect(!target.state.running, "the target runs before the resume")

                let resumed = try await migration.crplan.resume(plan)
                #expect(resumed.exitCode == 0, "resume: \(resumed)\n\(migration.crplan.journal(plan))")
                let events = try Crplan.events(resumed)
                #expect(events.first?.kind == .runResumed)
                let ran = events.filter { $0.kind == .stepFinished }.compactMap(\.step)
                #expect(ran == [.captureChanges, .applyChanges, .copyCheckpoint, .startTarget, .verifyMigration], "resume ran \(ran)")
                try await migration.targetIsUp()
                try await migration.targetContinues(after: lastOnSource)
                #expect(migration.counter.workloadCopies().isEmpty)
                #expect(try await migration.crplan.status(plan).run.phase == .succeeded)
            }
        }

        @Test("M8. imageDir through a real symlink into the target's Docker data root: the run resolves it, refuses before the checkpoint, the source runs on")
        func stagingThroughALinkIntoADockerHome() async throws {
            try await withMigration("mig-link") { migration in
                // The link's target need not exist: realpath --canonicalize-missing follows the link itself. Nothing is made there.
                let inside = migration.target.home + "/crplan-e2e-never-made-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
                let link = migration.base.workspace.file("stage-link")
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: inside)
                var plan = migration.plan("mig-link")
                plan.imageDir = link
                let output = try await migration.crplan.apply(plan)
                #expect(output.exitCode == 1, "crplan: \(output)")
                let events = try Crplan.events(output)
                let failure = events.first { $0.kind == .stepFailed }
                #expect(failure?.step == .checkpointCreate)
                #expect((failure?.message ?? "").contains("is really \(inside)/"), "\(failure?.message ?? "no step-failed event")")
                #expect(!FileManager.default.fileExists(atPath: inside), "a folder was made inside the Docker data root")
                let source = try await migration.base.daemon.inspect(migration.counter.id)
                #expect(source.state.running && source.state.pid == migration.counter.originalPID, "the source: \(source.state)")
            }
        }

        @Test("M5. file changes (added, image file modified, image file deleted, folders deleted and re-created with new contents and empty) and an image the target lacks")
        func fileChangesAndImageTransfer() async throws {
            try await Self.fileChanges(.overlayToVFS)
        }

        @Test("M7. the same file changes vfs → overlay2: the deleted image file is a whiteout, the re-created folders hold only their new files")
        func fileChangesOntoOverlay2() async throws {
            try await Self.fileChanges(.vfsToOverlay)
        }

        @Test("M13. the same file changes overlay2 → overlay2 (the engine itself, another target.name): Up, docker exec works, /foo continues")
        func fileChangesOverlay2ToOverlay2() async throws {
            try await Self.fileChanges(.overlayToOverlay)
        }

        @Test("M14. 3,000 image files deleted: the removal, whiteouts and count run as several commands; only the kept file is left on the target",
              arguments: [false, true])
        func manyDeletions(ontoVFS: Bool) async throws {
            let host = try E2EHost.require()
            let source = host.overlay
            let target = ontoVFS ? try host.requireVFS() : host.overlay
            let suffix = ontoVFS ? "mig-many" : "mig-many-ov"
            let tag = "crplan-e2e-\(suffix):\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            // Names long enough that 3,000 of them overrun one remote command line (100,000 bytes).
            let builder = try await source.run(["create", "--network", "none", host.image, "/bin/sh", "-c",
                "mkdir /many && echo kept > /many/kept.txt && i=0; while [ $i -lt 3000 ]; do "
                + ": > /many/an-image-file-with-a-long-name-that-the-source-deleted-$i.txt; i=$((i+1)); done"])
            try await source.run(["start", "--attach", builder])
            let imageID = try await source.run(["commit", builder, tag])
            try await source.run(["rm", "-f", builder])
            var failure: (any Error)?
            do {
                try await withMigration(suffix, image: tag, sameEngine: !ontoVFS) { migration in
                    try await source.run(["exec", migration.counter.name, "/bin/sh", "-c", "rm /many/an-image-file-*"])
                    let plan = migration.plan(suffix)
                    let output = try await migration.crplan.apply(plan)
                    let events = try Expect.succeeded(output, steps: Self.moveSteps, journal: migration.crplan.journal(plan))
                    #expect(Expect.outputs(of: .captureChanges, in: events)["deletedFiles"] == "3000")
                    let commands = events.filter { $0.kind == .commandStarted && $0.step == .applyChanges }.compactMap(\.message)
                    #expect(commands.filter { $0.contains(" rm -rf ") }.count > 1, "the removal ran as one command: \(commands.count) commands")
                    if !ontoVFS {
                        #expect(commands.filter { $0.contains(" mknod ") }.count > 1, "the whiteouts ran as one command")
                        #expect(commands.filter { $0.hasSuffix(" -printf x") }.count > 1, "the count ran as one command")
                    }
                    let onTarget = try await target.run(["exec", migration.targetName, "ls", "-A", "/many"])
                    #expect(onTarget == "kept.txt", "on the target /many holds: \(onTarget.prefix(300))")
                    try await migration.targetIsUp()
                    try await migration.targetContinues(after: nil)
                }
            } catch {
                failure = error
            }
            _ = try? await target.run(["rmi", imageID])
            _ = try? await source.run(["rmi", tag])
            if let failure { throw failure }
        }

        /// Which engines a file-changes cell migrates between.
        enum Engines: String {
            case overlayToVFS = "mig-files"
            case vfsToOverlay = "mig-files-ov"
            case overlayToOverlay = "mig-files-ovov"
        }

        /// What the image holds before the counter runs (on top of busybox).
        static let imageFiles = "mkdir -p /data /dir /again/sub /again2 && echo keep > /data/keep.txt && echo old > /data/old.txt "
            + "&& echo a > /dir/a.txt && echo x > /again/x.txt && echo y > /again/sub/y.txt && echo z > /again2/z.txt "
            + "&& echo v1 > /etc/config.txt"
        /// What the running source changes: a file added, an image file modified, an image file deleted, a folder
        /// deleted and re-created with new contents, two deleted and re-created empty (one with its old mode, one 0750).
        static let sourceChanges = "echo added > /added.txt && echo v2 >> /etc/config.txt && rm /data/old.txt "
            + "&& rm -rf /dir && mkdir /dir && echo b > /dir/b.txt && rm -rf /again && mkdir /again "
            + "&& rm -rf /again2 && mkdir -m 0750 /again2"
        /// Prints the files the changes touch, as a line each.
        static let showChanges = "cat /added.txt /etc/config.txt /data/keep.txt /dir/b.txt; ls /data; ls /dir; "
            + "echo again $(ls -A /again | wc -l) $(stat -c %a /again); echo again2 $(ls -A /again2 | wc -l) $(stat -c %a /again2)"
        static let expectedChanges = ["added", "v1", "v2", "keep", "b", "keep.txt", "b.txt", "again 0 755", "again2 0 750"]

        /// M5/M7/M13: a file added, an image file modified, an image file deleted,
        /// folders deleted and re-created (with new contents, empty); all as the source left them on the target.
        static func fileChanges(_ engines: Engines) async throws {
            let host = try E2EHost.require()
            let fromVFS = engines == .vfsToOverlay
            let source = fromVFS ? try host.requireVFS() : host.overlay
            let target = engines == .overlayToVFS ? try host.requireVFS() : host.overlay
            let suffix = engines.rawValue
            // A fresh image on the source only (never a shared one): busybox plus files to change.
            let tag = "crplan-e2e-\(suffix):\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let builder = try await source.run(["create", "--network", "none", host.image, "/bin/sh", "-c", Self.imageFiles])
            try await source.run(["start", "--attach", builder])
            let imageID = try await source.run(["commit", builder, tag])
            try await source.run(["rm", "-f", builder])
            var failure: (any Error)?
            do {
                try await withMigration(suffix, image: tag, fromVFS: fromVFS, sameEngine: engines == .overlayToOverlay) { migration in
                    try await migration.base.daemon.run(["exec", migration.counter.name, "/bin/sh", "-c", Self.sourceChanges])
                    let onSource = try await source.run(["exec", migration.counter.name, "/bin/sh", "-c", Self.showChanges])
                    #expect(onSource.split(separator: "\n").map(String.init) == Self.expectedChanges, "on the source: \(onSource)")
                    let plan = migration.plan(suffix)
                    let output = try await migration.crplan.apply(plan)
                    let events = try Expect.succeeded(output, steps: Self.moveSteps, journal: migration.crplan.journal(plan))
                    #expect(Expect.outputs(of: .transferImage, in: events)["transferred"] == (engines == .overlayToOverlay ? "false" : "true"))
                    // docker diff (Docker's naive diff, also on overlay2) lists what a re-created folder hid:
                    // old.txt, dir/a.txt, again/x.txt, again/sub, again2/z.txt.
                    #expect(Expect.outputs(of: .captureChanges, in: events)["deletedFiles"] == "5")

                    let name = migration.targetName
                    let onTarget = try await target.run(["exec", name, "/bin/sh", "-c", Self.showChanges])
                    #expect(onTarget.split(separator: "\n").map(String.init) == Self.expectedChanges, "on the target: \(onTarget)")
                    let targetImage = try await target.run(["inspect", "--format", "{{.Image}}", name])
                    #expect(targetImage == imageID, "the target runs image \(targetImage), not \(imageID)")
                    try await migration.targetIsUp()
                    try await migration.targetContinues(after: nil)
                }
            } catch {
                failure = error
            }
            _ = try? await target.run(["rmi", imageID])
            _ = try? await source.run(["rmi", tag])
            if let failure { throw failure }
        }
    }
}
