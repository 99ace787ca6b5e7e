import CRPlanCore
import Foundation
import Testing

extension EndToEnd.Migrate {
    @Test("M9. move with archive: the target is Up and continues; the kept archive imports with the checkpoint, changes, configuration and facts")
    func moveKeepsAnArchive() async throws {
        try await withMigration("mig-archive") { migration in
            // an existing file is never replaced: check-target refuses it before anything is frozen
            let existing = migration.base.workspace.file("existing.tar.zst")
            try Data("operator's file".utf8).write(to: URL(fileURLWithPath: existing))
            var refusedPlan = migration.plan("mig-archive-exists")
            refusedPlan.archive = existing
            let refused = try await migration.crplan.apply(refusedPlan)
            #expect(refused.exitCode == 1, "\(refused)")
            #expect((refused.standardOutput + refused.standardError).contains("never replaces a file"), "\(refused)")
            #expect(FileManager.default.contents(atPath: existing) == Data("operator's file".utf8))
            #expect(try await migration.base.daemon.inspect(migration.counter.id).state.running, "the source stopped")

            var plan = migration.plan("mig-archive")
            let archive = migration.base.workspace.file("kept.crplan.tar.zst")
            plan.archive = archive
            let output = try await migration.crplan.apply(plan)
            var steps = Self.moveSteps
            steps.insert(.writeArchive, at: try #require(steps.firstIndex(of: .captureChanges)) + 1)
            let events = try Expect.succeeded(output, steps: steps, journal: migration.crplan.journal(plan))
            #expect(Expect.outputs(of: .writeArchive, in: events)["archive"] == archive)

            let lastOnSource = try #require(migration.counter.values().last, "no values left on the source")
            try await migration.targetIsUp()
            try await migration.targetContinues(after: lastOnSource)

            let unpacked = migration.base.workspace.file("unpacked")
            let imported = try await migration.crplan.run(["import", archive, unpacked])
            #expect(imported.succeeded, "\(imported)")
            // Docker's checkpoint folder holds no stats-dump or dump.log (runc keeps its CRIU work dir elsewhere)
            for member in ["checkpoint/inventory.img", "checkpoint/pstree.img", "rootfs/changes.tar", "rootfs/deleted.json",
                           "container/config.json", "container/facts.json", "manifest.json"] {
                #expect(FileManager.default.fileExists(atPath: unpacked + "/" + member), "the archive lacks \(member)")
            }
            let manifest = try ArchiveManifest.decode(try #require(FileManager.default.contents(atPath: unpacked + "/manifest.json").map(Array.init)))
            #expect(manifest.source.containerID == migration.counter.id)
            #expect(manifest.source.engineVersion?.isEmpty == false && manifest.source.kernel?.isEmpty == false)
            #expect(manifest.source.checkpointMode == "native")
            let facts = try JSONDecoder().decode(ContainerFacts.self, from: try #require(FileManager.default.contents(atPath: unpacked + "/container/facts.json")))
            #expect(facts.id == migration.counter.id && facts.rootMode != nil)

        }
    }

    /// Podman 4.3 leaves an exported `rootfs-diff.tar` in the container's folder after `checkpoint
    /// --leave-running --export` and re-applies it at a later in-place restore, reverting `/foo`.
    @Test("M10. copy with archive, then an in-place native roundtrip of the source: lines of /foo written since the copy are kept")
    func noOldDiffReapplied() async throws {
        try await withMigration("mig-podman") { migration in
            var plan = migration.plan("mig-podman", copy: true)
            plan.archive = migration.base.workspace.file("copy.crplan.tar.zst")
            let output = try await migration.crplan.apply(plan)
            var steps = Self.moveSteps
            steps.insert(.writeArchive, at: try #require(steps.firstIndex(of: .captureChanges)) + 1)
            _ = try Expect.succeeded(output, steps: steps, journal: migration.crplan.journal(plan))
            try await migration.targetIsUp()

            // the source writes on after the copy
            let atCopy = try #require(migration.counter.values().last)
            let sinceCopy = await migration.counter.waitForValue(above: atCopy + 10)
            let written = try #require(sinceCopy.last)
            #expect(written > atCopy + 10, "the source stopped writing at \(written)")

            var inPlace = migration.base.plan("inplace", mode: "native")
            inPlace.checkpointName = "e2e-inplace"
            migration.base.track(inPlace)
            let roundtrip = try await migration.crplan.apply(inPlace)
            let events = try Expect.succeeded(
                roundtrip, steps: [.inspect, .checkpointCreate, .waitContainerExited, .startFromCheckpoint, .writePidfile],
                journal: migration.crplan.journal(inPlace))
            let pid = try #require(Int32(Expect.outputs(of: .startFromCheckpoint, in: events)["pid"] ?? ""))
            try await Expect.continues(migration.counter, pid: pid, lastBeforeDump: nil)
            let after = migration.counter.values()
            #expect(after.contains(written), "\(written), written after the copy, is gone from /foo")
            #expect(CounterValues.breakInSequence(after) == nil, "\(CounterValues.breakInSequence(after) ?? "")")
        }
    }
}
