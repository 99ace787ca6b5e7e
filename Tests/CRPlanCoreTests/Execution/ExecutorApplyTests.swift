import Foundation
import Testing
@testable import CRPlanCore

@Suite struct ExecutorApplyTests {
    @Test func roundtripRunsEveryStepAndWritesThePidfile() async throws {
        let host = FakeHost(Scenario.world())
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).apply(Scenario.graph())

        #expect(report.outcome == .succeeded)
        #expect(report.exitCode == 0)
        #expect(report.run.phase == .succeeded)
        #expect(report.run.steps.map(\.state) == Array(repeating: .succeeded, count: 7))
        let world = await host.world
        #expect(world.count("criu", "dump") == 1)
        #expect(world.count("criu", "restore") == 1)
        #expect(world.count("mount") == 1)
        // The exact argv, bound from the facts (cgroup v1 mounts expanded).
        let dump = try #require(world.commandsRun.first { $0.starts(with: ["criu", "dump"]) })
        #expect(dump == [
            "criu", "dump", "-o", "dump.log", "-v4", "-t", "4242", "-D", Scenario.imageDir, "--root", Scenario.rootfs,
            "--ext-mount-map", "/etc/resolv.conf:/etc/resolv.conf", "--ext-mount-map", "/etc/hosts:/etc/hosts",
            "--ext-mount-map", "/etc/hostname:/etc/hostname", "--ext-mount-map", "/sys/fs/cgroup/cpu:/sys/fs/cgroup/cpu",
            "--manage-cgroups", "--evasive-devices",
        ])
        let mount = try #require(world.commandsRun.first { $0.first == "mount" })
        #expect(mount.contains("lowerdir=/var/lib/docker/overlay2/f00d-init/diff:/var/lib/docker/overlay2/base/diff,upperdir=\(Scenario.layer)/diff,workdir=\(Scenario.layer)/work"))
        // The restored pid is alive, runs the container's command, and is in the pidfile.
        let pid = try #require(report.run[.restore]?.outputs["pid"])
        #expect(world.text(Scenario.pidfile) == pid + "\n")
        #expect(world.processes[Int(pid) ?? 0]?.commandLine == Scenario.command)
        #expect(report.run[.writePidfile]?.outputs["pid"] == pid)
        // Folders 0700, facts saved in the image dir.
        #expect(world.directories[Scenario.imageDir] == 0o700)
        #expect(world.directories[Scenario.stateDir + "/runs/web"] == 0o700)
        let saved = try CheckpointImages.decodeFacts(try #require(world.files[Scenario.imageDir + "/crplan-facts.json"]))
        #expect(saved.id == Scenario.containerID)
        #expect(saved.initCommandLine == Scenario.command)
        // Docker noticed the exit only after a poll: the executor waited.
        #expect(world.calls.contains(.sleep(100)))
        // Locks: plan, reference, full id; all released.
        #expect(world.heldLocks.isEmpty)
        #expect(world.calls.contains(.lock(Scenario.stateDir + "/runs/.locks/container-\(Scenario.containerID).lock")))
        // One progress line per step.
        #expect(events.kinds(.stepFinished) == [.inspect, .dump, .verifyDumpLog, .waitContainerExited, .rebuildRootfs, .restore, .writePidfile])
        #expect(events.events.last?.kind == .runFinished)
        #expect(events.events.last?.outcome == "succeeded")
    }

    @Test func journalHoldsEveryTransition() async throws {
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        let records = try await host.journalRecords()
        let types = records.map(\.type)
        #expect(types.first == "run-started")
        #expect(types.last == "run-finished")
        #expect(types.filter { $0 == "step-started" }.count == 7)
        #expect(types.filter { $0 == "step-succeeded" }.count == 7)
        #expect(types.contains("facts-bound"))
        guard case .runStarted(let start) = records.first else { Issue.record("no run-started"); return }
        #expect(start.planDigest == (try PlanDigest.of(Scenario.graph())))
        #expect(start.steps.count == 7)
        // Every record went through an append, some several to one write
        // (StepSequencerJournalTests), and the journal is synced to its end.
        let world = await host.world
        let appends = world.appends.filter { $0.path == Scenario.journal }
        #expect(appends.count == world.calls.filter { $0 == .append(Scenario.journal) }.count)
        #expect(appends.map(\.recordTypes.count).reduce(0, +) == records.count)
        #expect(appends.count < records.count)
        #expect(world.syncedLength[Scenario.journal] == world.files[Scenario.journal]?.count)
    }

    @Test func checkpointOnlyLeavesTheImages() async throws {
        let host = FakeHost(Scenario.world())
        let report = try await Scenario.executor(host).apply(Scenario.graph(operation: .checkpoint))
        #expect(report.outcome == .succeeded)
        let world = await host.world
        #expect(world.files[Scenario.imageDir + "/stats-dump"] != nil)
        #expect(world.count("criu", "restore") == 0)
    }

    @Test func restoreOnlyUsesTheSavedFacts() async throws {
        // A checkpoint run first, then a restore-only run of the same container.
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph(operation: .checkpoint))
        await host.update { world in
            // Docker has noticed the exit by now.
            world.dockerNoticesExit(Scenario.containerID)
        }
        let report = try await Scenario.executor(host).apply(Scenario.graph(operation: .restore))
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        #expect(report.run.facts?.initCommandLine == Scenario.command)
        let world = await host.world
        #expect(world.count("criu", "restore") == 1)
        #expect(world.text(Scenario.pidfile) != nil)
        // The first run's journal was archived.
        let status = try #require(try await Scenario.executor(host).status(planName: Scenario.planName))
        #expect(status.history.count == 1)
        #expect(status.run.operation == .restore)
    }

    @Test func restoreRefusesARunningContainer() async throws {
        let host = FakeHost(Scenario.world())
        let report = try await Scenario.executor(host).apply(Scenario.graph(operation: .restore))
        #expect(report.outcome == .rolledBack)
        #expect(report.failedStep == .inspect)
        #expect(report.error?.contains("would start a second copy") == true)
    }

    @Test func restoreNeedsACompleteCheckpoint() async throws {
        let host = FakeHost(Scenario.world(running: false))
        await host.update { world in
            world.write(Scenario.imageDir + "/inventory.img", "partial")
            world.write(Scenario.imageDir + "/dump.log", "(00.010) Error (criu/cr-dump.c:1): boom\n")
        }
        let report = try await Scenario.executor(host).apply(Scenario.graph(operation: .restore))
        #expect(report.failedStep == .loadCheckpoint)
        #expect(report.error?.contains("does not hold a complete checkpoint") == true)
        #expect(await host.world.count("criu", "restore") == 0)
    }

    @Test func nativeModeChecksDockerAndWritesStatePid() async throws {
        let host = FakeHost(Scenario.world())
        let report = try await Scenario.executor(host).apply(Scenario.graph(mode: .native))
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let world = await host.world
        let inspectByID = ["docker", "inspect", "--type", "container", "--", Scenario.containerID]
        #expect(world.commandsRun == [
            ["docker", "inspect", "--type", "container", "--", "web"],
            ["docker", "checkpoint", "create", Scenario.containerID, "web"],
            inspectByID,
            ["docker", "start", "--checkpoint", "web", Scenario.containerID], inspectByID,
        ])
        let pid = try #require(world.containers[Scenario.containerID]?.facts.pid)
        #expect(world.text(Scenario.pidfile) == "\(pid)\n")
    }

    @Test func inspectRefusesAStoppedContainerForCheckpoint() async throws {
        let host = FakeHost(Scenario.world(running: false))
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .inspect)
        #expect(report.error?.contains("is not running") == true)
        #expect(await host.world.commandsRun == [["docker", "inspect", "--type", "container", "--", "web"]])
    }

    @Test("Running: true with pid 0 is named as such, not as a Docker status of `running`")
    func inspectRefusesARunningContainerWithoutAProcess() async throws {
        var world = Scenario.world()
        world.containers[Scenario.containerID]?.facts.pid = 0
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .inspect)
        #expect(report.error?.contains("Docker reports it running but without a process (pid 0)") == true, "\(report.error ?? "")")
        #expect(report.error?.contains("Docker status `running`") == false)
    }

    @Test func inspectRefusesAnUnknownOrAmbiguousContainer() async throws {
        var world = Scenario.world()
        world.containers.removeAll()
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.error?.contains("Docker knows no container `web`") == true)

        var two = Scenario.world()
        var other = two.containers[Scenario.containerID]
        other?.facts.id = "abcd" + String(repeating: "0", count: 60)
        other?.facts.name = "other"
        two.containers[other?.facts.id ?? ""] = other
        let ambiguousHost = FakeHost(two)
        let graph = Scenario.compile(Scenario.planText().replacingOccurrences(of: "container: web", with: "container: ab"))
        let ambiguous = try await Scenario.executor(ambiguousHost).apply(graph)
        #expect(ambiguous.failedStep == .inspect)
        #expect(ambiguous.error?.contains("matches several containers") == true)
        #expect(await ambiguousHost.world.commandsRun == [["docker", "inspect", "--type", "container", "--", "ab"]])
    }

    @Test func inspectRefusesAStorageDriverMismatch() async throws {
        let graph = Scenario.graph(driver: "aufs")
        let host = FakeHost(Scenario.world())
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.failedStep == .inspect)
        #expect(report.error?.contains("storage.driver `aufs` but Docker reports `overlay2`") == true)
    }
}
