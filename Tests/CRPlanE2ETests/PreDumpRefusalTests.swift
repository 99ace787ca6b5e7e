import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// `criu.preDump` on this project's kernel, which has no soft-dirty
    /// tracking: the printed `criu check --feature mem_dirty_track` step
    /// refuses the run before any pre-dump or dump, and the container runs on.
    @Suite("Pre-dump refusal")
    struct PreDumpRefusal {
        @Test("pre-dump on a kernel without dirty tracking: exit 1 at check-memory-tracking with CRIU's reason, nothing frozen, the container runs on untouched")
        func refusedBeforeAnythingIsFrozen() async throws {
            let host = try E2EHost.require()
            let check = try await Command.run([host.criuBinary, "check", "--feature", "mem_dirty_track"], environment: host.environment)
            try #require(
                check.exitCode != 0 && check.standardError.contains("Dirty tracking is OFF"),
                "this host's kernel tracks memory changes; this test is about one that does not: \(check)"
            )
            try await withCounter("predump") { scenario in
                let counter = scenario.counter
                var plan = scenario.plan("predump")
                plan.preDumpIterations = 2
                scenario.track(plan)
                let imageDir = try #require(plan.imageDir)
                let before = counter.values()

                let output = try await scenario.crplan.apply(plan)
                let journal = scenario.crplan.journal(plan)
                #expect(output.exitCode == 1, "\(output)\njournal:\n\(journal)")
                let events = try Crplan.events(output)
                let started = events.filter { $0.kind == .commandStarted }.compactMap(\.message)
                #expect(started.count == 2, "commands run: \(started)")
                #expect(started.last == "\(scenario.host.criuBinary) check --feature mem_dirty_track")
                let failed = try #require(events.first { $0.kind == .stepFailed }, "no step-failed event")
                #expect(failed.step == .checkMemoryTracking)
                let message = failed.message ?? ""
                #expect(message.hasPrefix("this kernel does not track memory changes, which `criu.preDump` needs"), "\(message)")
                #expect(message.contains("Dirty tracking is OFF. Memory snapshot will not work."), "\(message)")
                #expect(message.contains("Nothing was frozen: container \(counter.name) (\(counter.id)) still runs untouched"), "\(message)")
                #expect(!events.contains { $0.step.map { StepKind.preDumps.contains($0) || $0 == .dump } == true && $0.kind == .stepStarted })

                // Untouched: the same init, still counting, nothing pre-dumped or dumped.
                let inspect = try await scenario.daemon.inspect(counter.id)
                #expect(inspect.state.running && inspect.state.pid == counter.originalPID, "pid \(inspect.state.pid), was \(counter.originalPID)")
                #expect(FileManager.default.fileExists(atPath: imageDir + "/pre-dump-1") == false)
                #expect(FileManager.default.fileExists(atPath: imageDir + "/dump.log") == false)
                let later = await counter.waitForValue(above: before.last ?? -1)
                #expect((later.last ?? -1) > (before.last ?? -1), "the counter stopped at \(before.last ?? -1)")

                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .rolledBack, "phase \(run.phase.rawValue)")
                #expect(run[.checkMemoryTracking]?.state == .failed)
                #expect(run[.preDump1]?.state == .pending && run[.dump]?.state == .pending)
            }
        }
    }
}
