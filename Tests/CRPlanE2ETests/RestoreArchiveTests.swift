import CRPlanCore
import Foundation
import Testing

extension EndToEnd.Migrate {
    static let restoreArchiveSteps: [StepKind] = [
        .openArchive, .checkTarget, .createTarget, .applyChanges, .copyCheckpoint, .startTarget, .verifyMigration,
    ]

    /// Job 1 of the two-job form: `operation: checkpoint` with `archive` on the overlay2 engine (the source
    /// stays stopped); then its staging dir (the image dir) is removed. The vfs engine gets the image by id
    /// (`docker save <id> | docker load`), as the operator carries it in this form.
    private func writeArchive(_ migration: MigrationScenario, _ label: String) async throws -> (archive: String, lastOnSource: Int) {
        var plan = migration.base.plan(label, operation: "checkpoint", mode: "native")
        plan.pidfile = nil
        plan.imageDir = migration.base.workspace.file("staging")
        plan.checkpointName = "e2e-job1"
        let archive = migration.base.workspace.file(label + ".crplan.tar.zst")
        plan.archive = archive
        migration.base.track(plan)
        let output = try await migration.crplan.apply(plan)
        _ = try Expect.succeeded(
            output, steps: [.inspect, .checkArchive, .checkpointCreate, .captureChanges, .writeArchive], journal: migration.crplan.journal(plan))
        let lastOnSource = try #require(migration.counter.values().last, "no values left on the source")
        try FileManager.default.removeItem(atPath: try #require(plan.imageDir))
        let image = try await migration.base.daemon.run(["inspect", "--format", "{{.Image}}", migration.counter.id])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let saved = migration.base.workspace.file("image.tar")
        _ = try await migration.base.daemon.run(["save", "--output", saved, image])
        _ = try await migration.target.run(["load", "--input", saved])
        #expect(await !migration.targetExists())
        return (archive, lastOnSource)
    }

    /// Job 2: `operation: restore` with `archive` on the vfs engine, creating the container of the test's name.
    private func restorePlan(_ migration: MigrationScenario, _ suffix: String, archive: String) -> PlanSpec {
        var plan = migration.base.plan(suffix, operation: "restore", mode: "native")
        plan.daemon = migration.target
        plan.driver = "vfs"
        plan.pidfile = nil
        plan.imageDir = migration.base.workspace.file("restore-staging")
        plan.checkpointName = "e2e-restore"
        plan.archive = archive
        plan.container = migration.targetName
        return plan
    }

    @Test("M11. two-job form: an archive from the overlay2 engine, the image dir removed, restored on the vfs engine: Up, exec works, /foo continues")
    func restoreFromArchive() async throws {
        try await withMigration("restore-archive") { migration in
            let (archive, lastOnSource) = try await writeArchive(migration, "ra-job1")
            let plan = restorePlan(migration, "ra-job2", archive: archive)
            let output = try await migration.crplan.apply(plan)
            let events = try Expect.succeeded(output, steps: Self.restoreArchiveSteps, journal: migration.crplan.journal(plan))
            #expect(Expect.outputs(of: .openArchive, in: events)["sourceContainer"] == migration.counter.id)
            try await migration.targetIsUp()
            try await migration.targetContinues(after: lastOnSource)
            #expect(FileManager.default.fileExists(atPath: archive), "the archive is kept")
        }
    }

    @Test("M12. two-job form: a tampered archive is refused, nothing is created on the engine and the staging dir is removed")
    func tamperedArchiveIsRefused() async throws {
        try await withMigration("restore-tampered") { migration in
            let (archive, _) = try await writeArchive(migration, "rt-job1")
            // unpack, change one byte of a listed member, pack again with the same manifest
            let tree = migration.base.workspace.file("tampered-tree")
            try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: false)
            let unpacked = try await Command.run(["/usr/bin/tar", "--extract", "--zstd", "--file", archive, "--directory", tree], environment: migration.base.host.environment)
            #expect(unpacked.succeeded, "\(unpacked)")
            let facts = tree + "/container/facts.json"
            var bytes = try #require(FileManager.default.contents(atPath: facts))
            bytes[bytes.count - 2] = bytes[bytes.count - 2] == UInt8(ascii: " ") ? UInt8(ascii: "\t") : UInt8(ascii: " ")
            try bytes.write(to: URL(fileURLWithPath: facts))
            let tampered = migration.base.workspace.file("tampered.crplan.tar.zst")
            let packed = try await Command.run([
                "/usr/bin/tar", "--create", "--zstd", "--file", tampered, "--directory", tree, "manifest.json", "checkpoint", "container", "rootfs",
            ], environment: migration.base.host.environment)
            #expect(packed.succeeded, "\(packed)")

            let plan = restorePlan(migration, "rt-job2", archive: tampered)
            let output = try await migration.crplan.apply(plan)
            #expect(output.exitCode != 0, "\(output)")
            let text = output.standardOutput + output.standardError
            #expect(text.contains("container/facts.json"), "\(output)")
            #expect(text.contains("open-archive"), "\(output)")
            #expect(await !migration.targetExists(), "a container was created from a tampered archive")
            let staging = try #require(plan.imageDir)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []
            #expect(left.isEmpty, "the run's staging dir is left: \(left)")
            #expect(FileManager.default.fileExists(atPath: tampered), "the archive is kept")
        }
    }
}
