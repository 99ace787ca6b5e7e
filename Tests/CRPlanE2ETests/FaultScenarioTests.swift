import CRPlanCore
import Foundation
import Glibc
import Testing

extension EndToEnd {
    /// Issue 9: faults from outside crplan, end to end. See docs/reliability.md.
    // About 50 s in all: part of every e2e run.
    @Suite("Faults from outside")
    struct FaultsFromOutside {
        @Test("the image dir's disk fills during the dump: a clean failure, the container still runs, nothing half-done")
        func diskFullDuringDump() async throws {
            try await withCounter("fault-disk-full") { scenario in
                let counter = scenario.counter
                var plan = scenario.plan("fault-disk-full")
                let imageDir = try #require(plan.imageDir)
                try FileManager.default.createDirectory(atPath: imageDir, withIntermediateDirectories: false)
                // 48 KiB: room for the first images, never for the pages.
                let mounted = try await Command.run(
                    ["/usr/bin/mount", "-t", "tmpfs", "-o", "size=48k,mode=0700", "tmpfs", imageDir],
                    environment: scenario.host.environment, timeout: .seconds(10))
                try #require(mounted.succeeded, "cannot mount a tmpfs at \(imageDir): \(mounted)")
                defer { _ = umount2(imageDir, 0) }
                plan.pidfile = scenario.workspace.file("counter.pid")
                scenario.track(plan)
                let census = WorkloadCensus(counter)

                let output = try await scenario.crplan.apply(plan)
                #expect(output.exitCode == 1, "apply with a full image dir: \(output)")
                let events = try Crplan.events(output)
                #expect(events.contains { $0.kind == .stepFailed && $0.step == .dump }, "\(events.map(\.kind))")
                #expect(events.last?.outcome == "rolled-back", "\(String(describing: events.last))")
                let copies = await census.stop()
                #expect(copies.maximum == 1)
                // The container runs on, untouched, and keeps counting.
                let inspect = try await scenario.daemon.inspect(counter.id)
                #expect(inspect.state.running && inspect.state.pid == counter.originalPID, "container after the failed dump: \(inspect.state)")
                #expect(counter.workloadCopies() == [counter.originalPID])
                try await Expect.continues(counter, pid: counter.originalPID, lastBeforeDump: nil)
                // Nothing half-done: Docker's root mounted once, no criu left, the run finished.
                #expect(Proc.mountCount(counter.rootfs) == 1)
                #expect(FaultMatrix.strayCriu(scenario).isEmpty)
                #expect(!FileManager.default.fileExists(atPath: try #require(plan.pidfile)))
                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .rolledBack && run[.dump]?.state == .failed, "phase \(run.phase.rawValue)")
            }
        }

        @Test("the state dir's disk fills during the run: crplan stops without a crash; once space is freed, status tells the truth and resume or rollback ends with one copy")
        func stateDirectoryFullDuringTheRun() async throws {
            try await withCounter("fault-state-full") { scenario in
                let counter = scenario.counter
                let plan = scenario.plan("fault-state-full")
                let stateDir = scenario.crplan.stateDirectory
                try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: false)
                // 16 KiB: room for the run's first journal lines, not for `docker inspect`'s output log and the facts.
                let mounted = try await Command.run(
                    ["/usr/bin/mount", "-t", "tmpfs", "-o", "size=16k,mode=0700", "tmpfs", stateDir],
                    environment: scenario.host.environment, timeout: .seconds(10))
                try #require(mounted.succeeded, "cannot mount a tmpfs at \(stateDir): \(mounted)")
                defer { _ = umount2(stateDir, Int32(MNT_DETACH)) }
                scenario.track(plan)
                let census = WorkloadCensus(counter)

                let full = try await scenario.crplan.apply(plan)
                #expect(full.signal == nil, "crplan died on a full state dir: \(full)")
                #expect([1, 2, 4].contains(full.exitCode ?? -1), "apply with a full state dir: \(full)")
                #expect((full.standardOutput + full.standardError).contains("No space left on device"), "the failure does not say why: \(full)")

                let grown = try await Command.run(
                    ["/usr/bin/mount", "-o", "remount,size=4m", stateDir], environment: scenario.host.environment, timeout: .seconds(10))
                try #require(grown.succeeded, "cannot grow the tmpfs at \(stateDir): \(grown)")
                let status = try await scenario.crplan.status(plan).run
                if status.isFinished {
                    // Stopped and undone before the dump: the container was never touched.
                    #expect(status.phase == .rolledBack, "phase \(status.phase.rawValue)")
                    let inspect = try await scenario.daemon.inspect(counter.id)
                    #expect(inspect.state.running && inspect.state.pid == counter.originalPID, "container: \(inspect.state)")
                    try await Expect.continues(counter, pid: counter.originalPID, lastBeforeDump: nil)
                } else {
                    #expect(status.phase == .inProgress || status.phase == .stepFailed, "phase \(status.phase.rawValue)")
                    let resumed = try await scenario.crplan.resume(plan)
                    try #require(resumed.exitCode == 0, "resume once the state dir has room: \(resumed)\njournal:\n\(scenario.crplan.journal(plan))")
                    try await Expect.restoredExternally(scenario, pidfile: try #require(plan.pidfile))
                    let run = try await scenario.crplan.status(plan).run
                    #expect(run.phase == .succeeded && (run[.dump]?.attempts ?? 0) <= 1, "phase \(run.phase.rawValue)")
                }
                let copies = await census.stop()
                #expect(copies.maximum <= 1, "\(copies.maximum) copies ran at once")
                #expect(FaultMatrix.strayCriu(scenario).isEmpty)
                #expect(Proc.mountCount(counter.rootfs) == 1)
            }
        }

        @Test("the container is removed by someone else between dump and restore: resume stops (exit 4) naming it, images kept, nothing mounted or running")
        func containerRemovedBetweenDumpAndRestore() async throws {
            try await withCounter("fault-removed") { scenario in
                let counter = scenario.counter
                let plan = scenario.plan("fault-removed")
                scenario.track(plan)
                let killed = try await scenario.crplan.apply(plan, failpoint: "step-finished:dump")
                #expect(killed.signal == SIGKILL)
                _ = try await Expect.dumpedAndStill(scenario)
                try await scenario.daemon.run(["rm", "-f", counter.id])

                let resumed = try await scenario.crplan.resume(plan)
                #expect(resumed.exitCode == 4, "resume after the container was removed: \(resumed)")
                let said = resumed.standardOutput + resumed.standardError
                #expect(said.contains(counter.id) || said.contains(counter.name), "the failure does not name the container: \(said)")
                Expect.imagesKept(try #require(plan.imageDir))
                #expect(counter.workloadCopies().isEmpty)
                #expect(!Proc.isMountPoint(counter.rootfs), "\(counter.rootfs) is mounted")
                #expect(FaultMatrix.strayCriu(scenario).isEmpty)
                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .needsRollForward, "phase \(run.phase.rawValue)")
                #expect(run[.dump]?.state == .succeeded && run[.restore]?.state == .pending)
            }
        }

        @Test("dockerd restarted between dump and restore (a private daemon of this test): resume completes, one copy, /foo continues")
        func dockerdRestartedBetweenDumpAndRestore() async throws {
            let host = try E2EHost.require()
            let own = try await PrivateDockerd(host: host)
            do {
                try await own.load(host.image, from: host.overlay)
                try await dumpRestartResume(host: host, own: own)
            } catch {
                await own.remove()
                throw error
            }
            await own.remove()
        }

        private func dumpRestartResume(host: E2EHost, own: PrivateDockerd) async throws {
            let workspace = try Workspace(label: "fault-dockerd")
            defer { workspace.remove() }
            let counter = try await CounterContainer.start(on: own.daemon, image: host.image, name: "crplan-e2e-fault-dockerd-\(getpid())")
            let scenario = Scenario(
                host: host, daemon: own.daemon, counter: counter, workspace: workspace,
                crplan: Crplan(binary: host.crplanBinary, environment: host.environment, workspace: workspace))
            var failure: (any Error)?
            do {
                let plan = scenario.plan("fault-dockerd")
                scenario.track(plan)
                let killed = try await scenario.crplan.apply(plan, failpoint: "step-finished:dump")
                #expect(killed.signal == SIGKILL)
                let last = try await Expect.dumpedAndStill(scenario)
                let oldPID = own.pid
                await own.stop()
                try await own.start()
                #expect(own.pid != oldPID)
                let resumed = try await scenario.crplan.resume(plan)
                try #require(resumed.exitCode == 0, "resume after a dockerd restart: \(resumed)\njournal:\n\(scenario.crplan.journal(plan))")
                try await Expect.restoredExternally(scenario, pidfile: try #require(plan.pidfile), lastBeforeDump: last)
                Expect.imagesKept(try #require(plan.imageDir))
                #expect(FaultMatrix.strayCriu(scenario).isEmpty)
                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .succeeded && run[.dump]?.attempts == 1)
            } catch {
                failure = error
            }
            for problem in await counter.cleanUp() {
                Issue.record(Comment(rawValue: "cleanup: \(problem)"))
            }
            if let failure { throw failure }
        }

        @Test("two operators race on one container through two plan files: one wins, the other exits 3 and starts no step")
        func twoOperatorsRace() async throws {
            try await withCounter("fault-race") { scenario in
                let first = scenario.plan("fault-race-a")
                var second = scenario.plan("fault-race-b")
                second.imageDir = scenario.workspace.file("images-b")
                second.pidfile = scenario.workspace.file("b.pid")
                scenario.track(first)
                scenario.track(second)
                let census = WorkloadCensus(scenario.counter)
                let stateDir = scenario.crplan.stateDirectory
                let a = try scenario.crplan.launch(["apply", try scenario.workspace.write(first), "--state-dir", stateDir, "--events", "json"])
                let b = try scenario.crplan.launch(["apply", try scenario.workspace.write(second), "--state-dir", stateDir, "--events", "json"])
                let outputs = [try await a.wait(timeout: .seconds(120)), try await b.wait(timeout: .seconds(120))]
                let codes = outputs.map { $0.exitCode ?? -1 }.sorted()
                #expect(codes == [0, 3], "exit codes \(codes): \(outputs)")
                if let loser = outputs.first(where: { $0.exitCode == 3 }) {
                    let events = (try? Crplan.events(loser.standardOutput)) ?? []
                    #expect(!events.contains { $0.kind == .stepStarted }, "the loser ran steps: \(events.map(\.kind))")
                    #expect(loser.standardError.contains("locked by crplan process"), "\(loser.standardError)")
                }
                let copies = await census.stop()
                #expect(copies.maximum == 1, "\(copies.maximum) copies ran at once")
                let winner = outputs[0].exitCode == 0 ? first : second
                try await Expect.restoredExternally(scenario, pidfile: try #require(winner.pidfile))
            }
        }
    }
}
