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

        @Test("A2. capture-changes fails after the checkpoint: rollback starts the source from its checkpoint, /foo continues, no archive")
        func failureAfterTheCheckpointRestartsTheSource() async throws {
            try await withCounter("cp-archive-rb") { scenario in
                // A source docker that refuses `diff` (and passes everything else to the real one).
                let wrapper = scenario.workspace.file("docker-no-diff")
                try """
                    #!/bin/sh
                    for argument in "$@"; do
                      if [ "$argument" = diff ]; then echo "refusing diff on purpose (e2e)" >&2; exit 1; fi
                    done
                    exec \(scenario.daemon.binary) "$@"

                    """.write(toFile: wrapper, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
                var plan = scenario.plan("cp-archive-rb", operation: "checkpoint", mode: "native")
                plan.dockerBinary = wrapper
                plan.imageDir = scenario.workspace.file("staging")
                plan.checkpointName = "e2e-arc"
                let archive = scenario.workspace.file("never.crplan.tar.zst")
                plan.archive = archive
                let output = try await scenario.crplan.apply(plan)
                #expect(output.exitCode == 1, "crplan: \(output)\n\(scenario.crplan.journal(plan))")
                let events = try Crplan.events(output)
                #expect(events.filter { $0.kind == .stepRolledBack }.compactMap(\.step) == [.checkpointCreate])
                #expect(events.last?.outcome == "rolled-back")

                let source = try await scenario.daemon.inspect(scenario.counter.id)
                #expect(source.state.running, "the source did not start again: \(source.state)")
                #expect(source.state.pid != scenario.counter.originalPID, "the source was not checkpointed")
                #expect(scenario.counter.workloadCopies().count == 1)
                try await Expect.continues(scenario.counter, pid: source.state.pid, lastBeforeDump: nil)
                let runID = try #require(events.first?.runID, "no events")
                #expect(FileManager.default.fileExists(atPath: try #require(plan.imageDir) + "/" + runID + "/e2e-arc/inventory.img"),
                        "the staged checkpoint was deleted")
                #expect(!FileManager.default.fileExists(atPath: archive))
                #expect(try await scenario.crplan.status(plan).run.phase == .rolledBack)
            }
        }

        @Test("A3. SIGKILL right after the checkpoint: resume keeps the archive once, the source stays stopped")
        func killAfterCheckpoint() async throws {
            try await withCounter("cp-archive-kill") { scenario in
                var plan = scenario.plan("cp-archive-kill", operation: "checkpoint", mode: "native")
                plan.imageDir = scenario.workspace.file("staging")
                plan.checkpointName = "e2e-arc"
                let archive = scenario.workspace.file("resumed.crplan.tar.zst")
                plan.archive = archive
                let killed = try await scenario.crplan.apply(plan, failpoint: "step-finished:checkpoint-create")
                #expect(killed.signal == SIGKILL, "crplan: \(killed)")
                #expect(try await scenario.daemon.status(scenario.counter.id) == "exited")
                #expect(!FileManager.default.fileExists(atPath: archive))

                let resumed = try await scenario.crplan.resume(plan)
                #expect(resumed.exitCode == 0, "resume: \(resumed)\n\(scenario.crplan.journal(plan))")
                #expect(FileManager.default.fileExists(atPath: archive))
                #expect(try await scenario.daemon.status(scenario.counter.id) == "exited")
                #expect(scenario.counter.workloadCopies().isEmpty)
                let imported = try await scenario.crplan.run(["import", archive, scenario.workspace.file("unpacked")])
                #expect(imported.succeeded, "\(imported)")
                #expect(try await scenario.crplan.status(plan).run.phase == .succeeded)
            }
        }
    }
}
