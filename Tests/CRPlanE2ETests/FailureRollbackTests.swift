import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// Scenario 5: runs that must fail, what rollback leaves, and what `crplan status` says.
    @Suite("Failure and rollback")
    struct FailureAndRollback {
        @Test("5. a restore whose ext-mount source does not exist: exit 4, the rebuilt root unmounted, images kept, status tells; resume once the source exists")
        func restoreFails() async throws {
            try await withCounter("fail") { scenario in
                let counter = scenario.counter
                let missing = scenario.workspace.file("later/hostname")
                var plan = scenario.plan("restore-fails")
                plan.extMounts = PlanSpec.dockerManagedFiles(hostnameSource: missing)
                scenario.track(plan)
                let imageDir = try #require(plan.imageDir)

                let output = try await scenario.crplan.apply(plan)
                let journal = scenario.crplan.journal(plan)
                // The dump passed the point of no return: crplan cannot undo
                // it, so the run needs the operator (exit 4), not exit 1.
                #expect(output.exitCode == 4, "\(output)\njournal:\n\(journal)")
                let events = try Crplan.events(output)
                #expect(events.contains { $0.kind == .stepFailed && $0.step == .restore }, "no step-failed restore event")
                #expect(events.contains { $0.kind == .stepRolledBack && $0.step == .rebuildRootfs }, "rebuild-rootfs not rolled back")
                #expect(!events.contains { $0.kind == .stepRolledBack && $0.step == .dump }, "the dump was 'undone'")

                // No mount left behind, no copy of the workload, images kept.
                #expect(!Proc.isMountPoint(counter.rootfs), "\(counter.rootfs) is still mounted after the rollback")
                #expect(counter.workloadCopies().isEmpty, "a workload copy runs: \(counter.workloadCopies())")
                #expect(try await scenario.daemon.status(counter.id) == "exited")
                Expect.imagesKept(imageDir)
                #expect(Proc.read(imageDir + "/restore.log")?.contains("Restoring FAILED") == true, "restore.log does not say it failed")

                let status = try await scenario.crplan.status(plan)
                let run = status.run
                #expect(run.phase == .needsRollForward, "phase \(run.phase.rawValue)")
                #expect(!run.isFinished && run.rollForward)
                #expect(run[.dump]?.state == .succeeded)
                #expect(run[.restore]?.state == .failed)
                #expect(run[.restore]?.error?.isEmpty == false, "the failed step carries no error")
                #expect(run[.rebuildRootfs]?.state == .rolledBack, "rebuild-rootfs is \(run[.rebuildRootfs]?.state.rawValue ?? "?")")
                #expect(run[.writePidfile]?.state == .pending)
                #expect(!run.notes.isEmpty, "no notes for the operator")

                // The way forward the notes give: fix the cause, `crplan resume`.
                let last = try #require(counter.values().last)
                try FileManager.default.createDirectory(atPath: scenario.workspace.file("later"), withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: "\(scenario.daemon.home)/containers/\(counter.id)/hostname", toPath: missing)
                let resumed = try await scenario.crplan.resume(plan)
                try #require(resumed.exitCode == 0, "\(resumed)\njournal:\n\(scenario.crplan.journal(plan))")
                try await Expect.restoredExternally(scenario, pidfile: try #require(plan.pidfile), lastBeforeDump: last)
                let after = try await scenario.crplan.status(plan).run
                #expect(after.phase == .succeeded && after.resumes == 1)
                #expect(after[.dump]?.attempts == 1, "dumped \(after[.dump]?.attempts ?? 0) times")
            }
        }

        @Test("5c. crplan rollback of a run past its point of no return: exit 4, finished as failed, images kept, nothing mounted, nothing restored")
        func explicitRollback() async throws {
            try await withCounter("rollback") { scenario in
                let counter = scenario.counter
                var plan = scenario.plan("rollback")
                plan.extMounts = PlanSpec.dockerManagedFiles(hostnameSource: scenario.workspace.file("missing/hostname"))
                scenario.track(plan)
                let failed = try await scenario.crplan.apply(plan)
                try #require(failed.exitCode == 4, "\(failed)")

                let output = try await scenario.crplan.rollback(plan)
                // The dump cannot be undone: the operator still has to restore the images.
                #expect(output.exitCode == 4, "\(output)\njournal:\n\(scenario.crplan.journal(plan))")
                let events = try Crplan.events(output)
                #expect(events.contains { $0.kind == .rollbackStarted })
                #expect(!events.contains { $0.kind == .commandStarted }, "rollback ran commands: \(events.filter { $0.kind == .commandStarted }.compactMap(\.message))")
                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .failed && run.isFinished, "phase \(run.phase.rawValue)")
                #expect(run[.dump]?.state == .succeeded && run[.rebuildRootfs]?.state == .rolledBack)
                let imageDir = try #require(plan.imageDir)
                #expect(run.notes.contains { $0.contains(imageDir) }, "notes do not name the images: \(run.notes)")
                #expect(!Proc.isMountPoint(counter.rootfs))
                #expect(counter.workloadCopies().isEmpty)
                Expect.imagesKept(imageDir)

                // A finished run: nothing left to resume or roll back.
                let resumed = try await scenario.crplan.resume(plan)
                #expect(resumed.exitCode == 2, "resume after rollback: \(resumed)")
                #expect(counter.workloadCopies().isEmpty)
            }
        }

        @Test("5b. a dump that fails before the point of no return: exit 1, rolled back, the container keeps running untouched")
        func dumpFails() async throws {
            try await withCounter("dumpfail") { scenario in
                let counter = scenario.counter
                var plan = scenario.plan("dump-fails")
                plan.criuBinary = "/bin/false"
                let output = try await scenario.crplan.apply(plan)
                #expect(output.exitCode == 1, "\(output)\njournal:\n\(scenario.crplan.journal(plan))")
                let events = try Crplan.events(output)
                #expect(events.contains { $0.kind == .stepFailed && $0.step == .dump })
                #expect(events.last?.kind == .runFinished && events.last?.outcome == "rolled-back",
                        "last event: \(String(describing: events.last))")

                let inspect = try await scenario.daemon.inspect(counter.id)
                #expect(inspect.state.running && inspect.state.pid == counter.originalPID)
                #expect(counter.workloadCopies() == [counter.originalPID])
                #expect(Proc.mountCount(counter.rootfs) == 1, "Docker's root mount count is \(Proc.mountCount(counter.rootfs))")
                try await Expect.continues(counter, pid: counter.originalPID, lastBeforeDump: nil)

                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .rolledBack, "phase \(run.phase.rawValue)")
                #expect(run[.dump]?.state == .failed)
                #expect(run[.restore]?.state == .pending)
            }
        }
    }
}
