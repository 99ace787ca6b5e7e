import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// Scenario 3: `operation: checkpoint` now, a separate `operation: restore` plan later, on the same image dir.
    @Suite("Checkpoint now, restore later")
    struct CheckpointThenRestore {
        @Test("3. a checkpoint plan leaves images and an exited container; a restore plan on the same image dir brings /foo back at last+1")
        func checkpointThenRestore() async throws {
            try await withCounter("cpr") { scenario in
                let checkpoint = scenario.plan("checkpoint", operation: "checkpoint")
                let imageDir = try #require(checkpoint.imageDir)
                let dumped = try await scenario.crplan.apply(checkpoint)
                _ = try Expect.succeeded(dumped, steps: [.inspect, .dump, .verifyDumpLog], journal: scenario.crplan.journal(checkpoint))

                let last = try await Expect.dumpedAndStill(scenario)
                Expect.imagesKept(imageDir)
                #expect(!FileManager.default.fileExists(atPath: scenario.workspace.file("counter.pid")))

                var restore = scenario.plan("restore", operation: "restore")
                restore.imageDir = imageDir
                restore.driver = "auto"
                scenario.track(restore)
                let census = WorkloadCensus(scenario.counter)
                let restored = try await scenario.crplan.apply(restore)
                let copies = await census.stop()
                _ = try Expect.succeeded(
                    restored, steps: [.inspect, .loadCheckpoint, .rebuildRootfs, .restore, .writePidfile],
                    journal: scenario.crplan.journal(restore))
                try await Expect.restoredExternally(scenario, pidfile: try #require(restore.pidfile), lastBeforeDump: last)
                #expect(copies.maximum == 1, "\(copies.maximum) copies ran at once: \(copies.pids)")

                // Two plans, two runs, each finished.
                #expect(try await scenario.crplan.status(checkpoint).run.phase == .succeeded)
                #expect(try await scenario.crplan.status(restore).run.phase == .succeeded)
            }
        }
    }
}
