import Foundation
import Testing
@testable import CRPlanCore

/// Locks, image dirs that hold a checkpoint, and stale criu pidfiles.
@Suite struct ExecutorGuardsTests {
    static let planLock = Scenario.stateDir + "/runs/web/lock"
    static let referenceLock = Scenario.stateDir + "/runs/.locks/container-web.lock"
    static let idLock = Scenario.stateDir + "/runs/.locks/container-\(Scenario.containerID).lock"

    @Test(arguments: [planLock, referenceLock])
    func heldLockFailsAtOnceNamingTheHolder(path: String) async throws {
        var world = Scenario.world()
        world.foreignLocks[path] = 31337
        let host = FakeHost(world)
        for command in ["apply", "resume", "rollback"] {
            do {
                let executor = Scenario.executor(host)
                _ = try await command == "apply" ? executor.apply(Scenario.graph())
                    : command == "resume" ? executor.resume(Scenario.graph()) : executor.rollback(Scenario.graph())
                Issue.record("\(command) went on")
            } catch {
                if command != "apply", case .noRun = error { continue }  // no run folder yet
                guard case .locked(_, let lockPath, let holder) = error else { Issue.record("\(command): \(error)"); continue }
                #expect(lockPath == path)
                #expect(holder == 31337)
                #expect(error.exitCode == 3)
                #expect(error.description.contains("crplan process 31337"))
            }
        }
        let after = await host.world
        #expect(after.commandsRun.isEmpty)
        #expect(after.files[Scenario.journal] == nil)
        #expect(after.heldLocks.isEmpty)
    }

    @Test func lockOnAnUnfinishedRunStopsResume() async throws {
        // A run stopped mid-way; another crplan now holds the plan lock.
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        let host = FakeHost(world)
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        await host.update { $0.foreignLocks[Self.planLock] = 4711 }
        await #expect(throws: ExecutorError.locked(what: "plan web", path: Self.planLock, holderPID: 4711)) {
            try await Scenario.executor(host).resume(Scenario.graph())
        }
        await host.update { $0.foreignLocks = [Self.idLock: 4712] }
        await #expect(throws: ExecutorError.locked(what: "container \(Scenario.containerID)", path: Self.idLock, holderPID: 4712)) {
            try await Scenario.executor(host).rollback(Scenario.graph())
        }
    }

    @Test func containerIdLockedByAnotherPlanStopsAtInspect() async throws {
        var world = Scenario.world()
        world.foreignLocks[Self.idLock] = 999
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .inspect)
        #expect(report.error?.contains("locked by crplan process 999") == true)
        #expect(await host.world.commandsRun == [["docker", "inspect", "--type", "container", "--", "web"]])
    }

    @Test func locksAreTakenPlanFirstAndReleased() async throws {
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        let locks = await host.world.calls.compactMap { if case .lock(let path) = $0 { path } else { nil } }
        #expect(locks == [Self.planLock, Self.referenceLock, Self.idLock])
        let released = await host.world.calls.compactMap { if case .release(let path) = $0 { path } else { nil } }
        #expect(Set(released) == Set(locks))
        #expect(await host.world.heldLocks.isEmpty)
    }

    // MARK: Image dir

    func worldWithACompleteCheckpoint() -> FakeWorld {
        var world = Scenario.world()
        world.write(Scenario.imageDir + "/stats-dump", "old")
        world.write(Scenario.imageDir + "/inventory.img", "old")
        world.write(Scenario.imageDir + "/pages-1.img", "old pages")
        world.directories[Scenario.imageDir] = 0o700
        return world
    }

    @Test func dumpNeverOverwritesACompleteCheckpoint() async throws {
        let host = FakeHost(worldWithACompleteCheckpoint())
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .inspect)
        #expect(report.outcome == .rolledBack)
        #expect(report.error?.contains("already holds a complete checkpoint") == true)
        #expect(report.error?.contains("--keep-existing") == true)
        let after = await host.world
        #expect(after.count("criu", "dump") == 0)
        #expect(after.text(Scenario.imageDir + "/pages-1.img") == "old pages")
        #expect(after.files[Scenario.imageDir + "/crplan-facts.json"] == nil)
    }

    @Test func dumpStepItselfRefusesACompleteCheckpoint() async throws {
        // A checkpoint appeared after inspect ran: the dump step still refuses.
        let graph = Scenario.graph(operation: .checkpoint)
        var world = worldWithACompleteCheckpoint()
        world.directories[Scenario.stateDir + "/runs/web"] = 0o700
        let at = Timestamp(millisecondsSinceEpoch: 1)
        let records: [JournalRecord] = [
            .runStarted(.init(runID: "r2", planName: "web", planDigest: try PlanDigest.of(graph), operation: .checkpoint, mode: .external,
                              container: "web", steps: graph.steps.map(\.kind), crplanVersion: "test", at: at)),
            .factsBound(.init(facts: Scenario.facts(), source: "inspect", at: at)),
            .stepSucceeded(.init(step: .inspect, outputs: [:], durationMilliseconds: 1, probed: false, at: at)),
        ]
        var bytes: [UInt8] = []
        for (index, record) in records.enumerated() { bytes += try JournalLine.encode(record, seq: index + 1) }
        world.files[Scenario.journal] = bytes
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).resume(graph)
        #expect(report.failedStep == .dump)
        #expect(report.error?.contains("never overwrites") == true)
        let after = await host.world
        #expect(after.count("criu", "dump") == 0)
        #expect(after.text(Scenario.imageDir + "/pages-1.img") == "old pages")
    }

    @Test func keepExistingMovesTheOldCheckpointAside() async throws {
        let host = FakeHost(worldWithACompleteCheckpoint())
        let report = try await Scenario.executor(host) { $0.keepExistingCheckpoint = true }.apply(Scenario.graph())
        #expect(report.outcome == .succeeded)
        let aside = try #require(report.run[.inspect]?.outputs["movedExistingCheckpointTo"])
        #expect(aside == Scenario.imageDir + ".20240501T120000Z")
        let after = await host.world
        #expect(after.text(aside + "/pages-1.img") == "old pages")
        #expect(after.text(aside + "/stats-dump") == "old")
        #expect(after.files[Scenario.imageDir + "/stats-dump"] == CRIUBytes.statsDump(frozen: 182_400, written: 36))
        #expect(after.count("criu", "dump") == 1)
    }

    // MARK: criu pidfile

    @Test func staleCriuPidfileIsMovedAsideBeforeRestore() async throws {
        var world = Scenario.world()
        world.write(Scenario.criuPidfile, "12345")  // no such process
        let host = FakeHost(world)
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).apply(Scenario.graph())
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let aside = try #require(report.run[.restore]?.outputs["staleCriuPidfileMovedTo"])
        #expect(aside.hasPrefix(Scenario.criuPidfile + ".stale-"))
        let after = await host.world
        #expect(after.text(aside) == "12345")
        #expect(after.text(Scenario.criuPidfile) == report.run[.restore]?.outputs["pid"])
        #expect(events.events.contains { $0.kind == .note && $0.message?.contains("O_EXCL") == true })
    }

    @Test func withoutMovingItAsideAStalePidfileWouldKillTheRestore() async throws {
        // The fake criu behaves like the real one: a pidfile that exists makes restore fail.
        var world = Scenario.world()
        world.write(Scenario.criuPidfile, "12345")
        world.fail(.move, pathContains: Scenario.criuPidfile)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .restore)
        #expect(await host.world.count("criu", "restore") == 0)
    }

    @Test func pidfileNamingTheLiveWorkloadRefusesASecondCopy() async throws {
        // A restore-only plan run twice: Docker still says "exited", but the workload runs.
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph(operation: .checkpoint))
        await host.update { $0.dockerNoticesExit(Scenario.containerID) }
        let first = try await Scenario.executor(host).apply(Scenario.graph(operation: .restore))
        #expect(first.outcome == .succeeded)
        let second = try await Scenario.executor(host).apply(Scenario.graph(operation: .restore))
        #expect(second.failedStep == .restore)
        #expect(second.error?.contains("never restores a second copy") == true)
        let after = await host.world
        #expect(after.count("criu", "restore") == 1)
        #expect(after.processes.values.filter { $0.commandLine == Scenario.command }.count == 1)
        // The rebuild found the root already mounted and left it: nothing unmounted under the workload.
        #expect(second.run[.rebuildRootfs]?.outputs["mounted"] == "false")
        #expect(after.unmounts.isEmpty)
    }

    @Test func writePidfileRefusesAProcessThatIsNotTheContainers() async throws {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "restore of something else", matches: { Scenario.isCommand($0, "criu", "restore") }) { world, invocation in
            let result = Scenario.criuRestore().respond(&world, invocation)
            let pid = Int(world.text(Scenario.criuPidfile) ?? "") ?? 0
            world.processes[pid]?.commandLine = ["/usr/bin/other"]
            return result
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .writePidfile)
        #expect(report.error?.contains("not the container's") == true)
        #expect(await host.world.files[Scenario.pidfile] == nil)
    }
}
