import CRPlanCore
import Foundation
import Glibc
import Testing

extension EndToEnd {
    /// Scenario 6: crplan SIGKILLed mid-run (`CRPLAN_FAILPOINT`), then `crplan resume`.
    @Suite("Kill and resume")
    struct KillAndResume {
        @Test("6. killed right after dump succeeded: status shows the unfinished run, resume completes it, /foo continues at last+1, one copy only")
        func killedAfterDump() async throws {
            try await withCounter("kill-dump") { scenario in
                let plan = scenario.plan("kill-dump")
                scenario.track(plan)
                let census = WorkloadCensus(scenario.counter)
                let killed = try await scenario.crplan.apply(plan, failpoint: "step-finished:dump")
                #expect(killed.signal == SIGKILL, "crplan was not SIGKILLed: \(killed)")
                let events = try Crplan.events(killed)
                #expect(events.last?.kind == .stepFinished && events.last?.step == .dump,
                        "last event before the kill: \(String(describing: events.last))")

                let last = try await Expect.dumpedAndStill(scenario)
                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .inProgress && run.finishedAt == nil, "phase \(run.phase.rawValue)")
                // A step's success is written with the next step's start (one
                // fsync): killed in between, the dump is journaled as started,
                // and the resume's probe finds it done.
                #expect(run[.dump]?.state == .running)
                #expect(run[.verifyDumpLog]?.state == .pending)
                #expect(run[.restore]?.state == .pending)

                // A new apply must not start over an unfinished run.
                let again = try await scenario.crplan.apply(plan)
                #expect(again.exitCode == 4, "apply over an unfinished run: \(again)")

                try await resumeAndCheck(scenario, plan, last: last, census: census)
                let after = try await scenario.crplan.status(plan).run
                #expect(after[.dump]?.attempts == 1, "dumped \(after[.dump]?.attempts ?? 0) times")
                #expect(after[.dump]?.probed == true)
            }
        }

        @Test("6b. killed mid rebuild-rootfs (its mount command ran, success not journaled): resume probes the mount and completes, one copy only")
        func killedMidRebuild() async throws {
            try await withCounter("kill-mount") { scenario in
                let counter = scenario.counter
                let plan = scenario.plan("kill-mount")
                scenario.track(plan)
                let census = WorkloadCensus(counter)
                // rebuild-rootfs runs `mkdir -p <merged>`, then the overlay
                // mount: stop right after the second command finished.
                let killed = try await scenario.crplan.apply(plan, failpoint: "command-finished:rebuild-rootfs:2")
                #expect(killed.signal == SIGKILL, "crplan was not SIGKILLed: \(killed)")
                let events = try Crplan.events(killed)
                #expect(events.last?.kind == .commandFinished && events.last?.step == .rebuildRootfs,
                        "last event before the kill: \(String(describing: events.last))")
                let commands = events.filter { $0.kind == .commandStarted && $0.step == .rebuildRootfs }.compactMap(\.message)
                #expect(commands.count == 2 && commands.last?.contains("mount -t overlay") == true, "rebuild-rootfs ran \(commands)")
                #expect(Proc.isMountPoint(counter.rootfs), "the mount command ran but \(counter.rootfs) is not mounted")

                let last = try await Expect.dumpedAndStill(scenario)
                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .inProgress && run.finishedAt == nil)
                #expect(run[.rebuildRootfs]?.state == .running, "rebuild-rootfs is \(run[.rebuildRootfs]?.state.rawValue ?? "?")")
                #expect(run[.restore]?.state == .pending)

                try await resumeAndCheck(scenario, plan, last: last, census: census)
                let after = try await scenario.crplan.status(plan).run
                #expect(Proc.mountCount(counter.rootfs) == 1, "the root is mounted \(Proc.mountCount(counter.rootfs)) times")
                #expect(after[.rebuildRootfs]?.probed == true, "resume did not find the mount done by a probe")
                #expect(after[.dump]?.attempts == 1)
            }
        }

        @Test("6c. killed right after criu restore ran (the workload is live, the step not journaled): resume adopts it, never restores a second copy")
        func killedAfterRestoreCommand() async throws {
            try await withCounter("kill-restore") { scenario in
                let counter = scenario.counter
                let plan = scenario.plan("kill-restore")
                scenario.track(plan)
                let census = WorkloadCensus(counter)
                let killed = try await scenario.crplan.apply(plan, failpoint: "command-finished:restore")
                #expect(killed.signal == SIGKILL, "crplan was not SIGKILLed: \(killed)")

                // The restored tree runs, but only CRIU's pidfile knows it.
                let live = await eventually { counter.workloadCopies().count == 1 }
                #expect(live, "copies after the kill: \(counter.workloadCopies())")
                let restoredPID = try #require(counter.workloadCopies().first)
                #expect(Proc.parent(restoredPID) == 1)
                #expect(!FileManager.default.fileExists(atPath: try #require(plan.pidfile)), "the plan pidfile exists before write-pidfile ran")
                let run = try await scenario.crplan.status(plan).run
                #expect(run[.restore]?.state == .running, "restore is \(run[.restore]?.state.rawValue ?? "?")")

                let resumed = try await scenario.crplan.resume(plan)
                try #require(resumed.exitCode == 0, "\(resumed)\njournal:\n\(scenario.crplan.journal(plan))")
                let events = try Crplan.events(resumed)
                #expect(!events.contains { $0.kind == .commandStarted && $0.step == .restore }, "resume ran criu restore again")
                // Each step reported once: skipped (done earlier, or found done by the probe) or run.
                let reported = events.filter { [.stepSkipped, .stepFinished].contains($0.kind) }.compactMap(\.step)
                #expect(reported == ExternalRoundtrip.steps, "steps reported by resume: \(reported)")
                let pid = try await Expect.restoredExternally(scenario, pidfile: try #require(plan.pidfile))
                #expect(pid == restoredPID, "the pidfile names \(pid), the live copy is \(restoredPID)")
                let copies = await census.stop()
                #expect(copies.maximum == 1, "\(copies.maximum) copies of the workload ran at once: \(copies.pids)")
                let after = try await scenario.crplan.status(plan).run
                #expect(after.phase == .succeeded && after[.restore]?.probed == true, "restore probed: \(after[.restore]?.probed ?? false)")
            }
        }

        /// `crplan resume` completes the run: the workload runs again as one
        /// copy (never more during the whole test), `/foo` continues at last+1.
        private func resumeAndCheck(_ scenario: Scenario, _ plan: PlanSpec, last: Int, census: WorkloadCensus) async throws {
            let resumed = try await scenario.crplan.resume(plan)
            try #require(resumed.exitCode == 0, "\(resumed)\njournal:\n\(scenario.crplan.journal(plan))")
            let events = try Crplan.events(resumed)
            #expect(events.first?.kind == .runResumed, "first event: \(String(describing: events.first))")
            #expect(!events.contains { $0.kind == .stepStarted && $0.step == .dump }, "resume ran the dump again")
            let reported = events.filter { [.stepSkipped, .stepFinished].contains($0.kind) }.compactMap(\.step)
            #expect(reported == ExternalRoundtrip.steps, "steps reported by resume: \(reported)")
            #expect(events.last?.kind == .runFinished && events.last?.outcome == "succeeded")

            try await Expect.restoredExternally(scenario, pidfile: try #require(plan.pidfile), lastBeforeDump: last)
            let copies = await census.stop()
            #expect(copies.maximum == 1, "\(copies.maximum) copies of the workload ran at once: \(copies.pids)")
            let run = try await scenario.crplan.status(plan).run
            #expect(run.phase == .succeeded && run.resumes == 1)
        }
    }
}
