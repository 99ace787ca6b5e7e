import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// The two-job form, job 1: `operation: checkpoint` with `archive:` on the overlay2 engine.
    @Suite("Checkpoint with archive")
    struct CheckpointArchive {
        @Test("A1. checkpoint with archive: the archive imports (manifest verified), the source is stopped, its checkpoint intact")
        func checkpointKeepsAnArchive() async throws {
            try await withCounter("cp-archive") { scenario in
                var plan = scenario.plan("cp-archive", operation: "checkpoint", mode: "native")
                plan.imageDir = scenario.workspace.file("staging")
                plan.checkpointName = "e2e-arc"
                let archive = scenario.workspace.file("job1.crplan.tar.zst")
                plan.archive = archive
                let output = try await scenario.crplan.apply(plan)
                let events = try Expect.succeeded(
                    output, steps: [.inspect, .checkArchive, .checkpointCreate, .captureChanges, .writeArchive],
                    journal: scenario.crplan.journal(plan))
                #expect(Expect.outputs(of: .writeArchive, in: events)["archive"] == archive)

                // the source stays stopped: its workload lives in the archive
                let inspect = try await scenario.daemon.inspect(scenario.counter.id)
                #expect(!inspect.state.running, "the source runs after a checkpoint with archive")
                #expect(scenario.counter.workloadCopies().isEmpty, "workload copies: \(scenario.counter.workloadCopies())")

                // its checkpoint is intact in the run's staging dir
                let runID = try #require(events.first?.runID, "no events")
                let staged = try #require(plan.imageDir) + "/" + runID + "/e2e-arc"
                for image in ["inventory.img", "pstree.img"] {
                    #expect(FileManager.default.fileExists(atPath: staged + "/" + image), "the staged checkpoint lacks \(image)")
                }

                let unpacked = scenario.workspace.file("unpacked")
                let imported = try await scenario.crplan.run(["import", archive, unpacked])
                #expect(imported.succeeded, "\(imported)")
                for member in ["checkpoint/inventory.img", "checkpoint/pstree.img", "rootfs/changes.tar", "rootfs/deleted.json",
                               "container/config.json", "container/facts.json", "manifest.json"] {
                    #expect(FileManager.default.fileExists(atPath: unpacked + "/" + member), "the archive lacks \(member)")
                }
                let manifest = try ArchiveManifest.decode(try #require(FileManager.default.contents(atPath: unpacked + "/manifest.json").map(Array.init)))
                #expect(manifest.source.containerID == scenario.counter.id)
                #expect(manifest.source.checkpointMode == "native")
                #expect(try await scenario.crplan.status(plan).run.phase == .succeeded)
            }
        }
    }
}
