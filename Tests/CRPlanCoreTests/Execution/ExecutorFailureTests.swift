import Testing
@testable import CRPlanCore

/// A failure at each step, with the rollback it must get.
@Suite struct ExecutorFailureTests {
    func imagesKept(_ world: FakeWorld) -> Bool {
        world.files[Scenario.imageDir + "/inventory.img"] != nil && world.files[Scenario.imageDir + "/dump.log"] != nil
    }

    @Test func inspectFailureUndoesNothing() async throws {
        let host = FakeHost(Scenario.world(running: false))
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.outcome == .rolledBack)
        #expect(report.exitCode == 1)
        #expect(report.run.phase == .rolledBack)
        let world = await host.world
        #expect(world.commandsRun == [["docker", "inspect", "--type", "container", "--", "web"]])
        #expect(world.unmounts.isEmpty)
    }

    @Test func dumpFailureSaysTheContainerStillRunsAndKeepsTheImages() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuDump(), at: 0)
        let host = FakeHost(world)
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).apply(Scenario.graph())

        #expect(report.outcome == .rolledBack)
        #expect(report.exitCode == 1)
        #expect(report.failedStep == .dump)
        // The error names the cause from the log, with context and the log path.
        let error = try #require(report.error)
        #expect(error.contains("Error (criu/sk-unix.c:123): unix: Can't dump socket 12345"))
        #expect(error.contains("(00.002) Seizing tasks"))
        #expect(error.contains(Scenario.imageDir + "/dump.log"))
        #expect(report.notes.contains { $0.contains("is still running (pid 4242)") })
        #expect(report.notes.contains { $0.contains("kept") })
        #expect(events.events.contains { $0.kind == .note && $0.message?.contains("still running") == true })
        let after = await host.world
        #expect(after.processes[Scenario.initPID] != nil)
        #expect(after.files[Scenario.imageDir + "/inventory.img"] != nil)
        #expect(after.files[Scenario.imageDir + "/dump.log"] != nil)
        #expect(after.count("criu", "restore") == 0)
        #expect(after.unmounts.isEmpty)
    }

    @Test func verifyFailureAfterADumpRollsForward() async throws {
        var world = Scenario.world()
        // The dump step reads the log once; the verify step's read fails.
        world.fail(.readFile, pathContains: "dump.log", after: 1)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .verifyDumpLog)
        #expect(report.outcome == .needsAttention)
        #expect(report.exitCode == 4)
        #expect(report.run.phase == .needsRollForward)
        #expect(report.notes.contains { $0.contains("only copy of the workload") })
        #expect(report.next.map(\.verb) == [.resume])
        let after = await host.world
        #expect(imagesKept(after))
        #expect(after.unmounts.isEmpty)
        #expect(after.calls.contains { if case .remove = $0 { true } else { false } } == false)
    }

    @Test func waitTimeoutAfterADumpRollsForward() async throws {
        let host = FakeHost(Scenario.world())
        await host.update { world in
            // Docker never notices the container died.
            world.handlers[0] = .init(name: "dump, Docker asleep", matches: { Scenario.isCommand($0, "criu", "dump") }) { world, invocation in
                let result = Scenario.criuDump().respond(&world, invocation)
                world.containers[Scenario.containerID]?.exitNoticedAfterInspects = 1_000
                return result
            }
        }
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .waitContainerExited)
        #expect(report.error?.contains("Docker still reports container web running") == true, "\(report.error ?? "")")
        #expect(report.outcome == .needsAttention)
        let world = await host.world
        // The planner's 60 s limit, polled every 100 ms; each fake docker inspect takes 100 ms.
        #expect(world.calls.filter { if case .sleep = $0 { true } else { false } }.count == 299)
        #expect(world.count("mount") == 0)
    }

    @Test func rebuildFailureLeavesNothingMounted() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingMount(), at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .rebuildRootfs)
        #expect(report.error?.contains("wrong fs type") == true)
        #expect(report.outcome == .needsAttention)
        #expect(await host.world.unmounts.isEmpty)
    }

    @Test func restoreFailureUnmountsWhatCrplanMountedAndKeepsTheImages() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .restore)
        #expect(report.error?.contains("Can't open file /etc/hosts on restore") == true)
        #expect(report.outcome == .needsAttention)
        #expect(report.run[.rebuildRootfs]?.state == .rolledBack)
        #expect(report.notes.contains { $0.contains("kills the tasks it restored") })
        #expect(report.next.map(\.verb) == [.resume])
        let after = await host.world
        #expect(after.unmounts == [Scenario.rootfs])
        #expect(imagesKept(after))
        #expect(after.files[Scenario.pidfile] == nil)
        #expect(after.directories[Scenario.cgroupDirectory] == nil, "the cgroup the failed restore created is removed")
    }

    @Test func aCgroupThatExistedBeforeTheFailedRestoreIsLeftAlone() async throws {
        var world = Scenario.world()
        world.directories[Scenario.cgroupDirectory] = 0o755
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .restore)
        #expect(await host.world.directories[Scenario.cgroupDirectory] != nil)
    }

    @Test func restoreFailureWithLeaveRunningRollsAllTheWayBack() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        let host = FakeHost(world)
        // With --leave-running the container keeps running; its root stays mounted by Docker,
        // so for this test Docker's mount goes away as if the container had been stopped.
        await host.update { world in
            world.handlers[1] = .init(name: "dump", matches: { Scenario.isCommand($0, "criu", "dump") }) { world, invocation in
                let result = Scenario.criuDump().respond(&world, invocation)
                world.dockerNoticesExit(Scenario.containerID)
                return result
            }
        }
        let report = try await Scenario.executor(host).apply(Scenario.graph(leaveRunning: true))
        #expect(report.failedStep == .restore)
        #expect(report.outcome == .rolledBack)
        #expect(report.exitCode == 1)
        #expect(report.run.phase == .rolledBack)
        #expect(await host.world.unmounts == [Scenario.rootfs])
    }

    @Test func writePidfileFailureNeverUndoesTheRestore() async throws {
        var world = Scenario.world()
        world.fail(.writeAtomically, pathContains: Scenario.pidfile)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.failedStep == .writePidfile)
        #expect(report.outcome == .needsAttention)
        let pid = try #require(report.run[.restore]?.outputs["pid"])
        #expect(report.notes.contains { $0.contains("runs again as pid \(pid)") })
        #expect(report.next.map(\.verb) == [.resume])
        let after = await host.world
        #expect(after.unmounts.isEmpty)
        #expect(after.processes[Int(pid) ?? 0] != nil)
        #expect(after.mounts.contains { $0.mountPoint == Scenario.rootfs })
    }

    @Test func noRollbackLeavesEverythingAndSaysHowToGoOn() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host) { $0.rollbackOnFailure = false }.apply(Scenario.graph())
        #expect(report.outcome == .failed)
        #expect(report.exitCode == 1)
        #expect(report.run.phase == .stepFailed)
        #expect(report.notes.last?.contains("nothing was undone") == true)
        #expect(report.next.map(\.verb) == [.resume, .rollback])
        #expect(await host.world.unmounts.isEmpty)
    }

    @Test func failedRollbackActionIsReportedAndARetryFinishesIt() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        world.fail(.unmount, pathContains: Scenario.rootfs, times: 1, error: .io(operation: "unmount", path: Scenario.rootfs, message: "device busy"))
        let host = FakeHost(world)
        let graph = Scenario.graph()
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .needsAttention)
        #expect(report.run.phase == .rollbackIncomplete)
        #expect(report.run[.rebuildRootfs]?.state == .rollbackFailed)
        #expect(report.run[.rebuildRootfs]?.leftForOperator?.contains("umount \(Scenario.rootfs)") == true)
        #expect(report.notes.contains { $0.contains("left for the operator (rebuild-rootfs)") && $0.contains("is still mounted") })

        // apply refuses; an explicit rollback retries the failed action.
        await #expect(throws: ExecutorError.self) { try await Scenario.executor(host).apply(graph) }
        let retry = try await Scenario.executor(host).rollback(graph)
        #expect(retry.run[.rebuildRootfs]?.state == .rolledBack)
        #expect(retry.run.phase == .failed)  // finished: past the dump, rollback gave up the roll forward
        #expect(retry.notes.contains { $0.contains("only copy of the workload") })
        #expect(await host.world.mounts.contains { $0.mountPoint == Scenario.rootfs } == false)
    }

    @Test func aMountLeftByAFailedUndoStaysCrplansAcrossAResume() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        world.fail(.unmount, pathContains: Scenario.rootfs, times: 1)
        let host = FakeHost(world)
        let first = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(first.run.phase == .rollbackIncomplete)
        #expect(first.run.rollForward)
        // Resume (roll forward): the root is still mounted from the first attempt; the restore fails again.
        let second = try await Scenario.executor(host).resume(Scenario.graph())
        #expect(second.run[.rebuildRootfs]?.outputs["mounted"] == "true")
        #expect(second.run[.rebuildRootfs]?.state == .rolledBack)
        #expect(await host.world.mounts.contains { $0.mountPoint == Scenario.rootfs } == false)
        #expect(await host.world.count("mount") == 1)
    }

    @Test func aFailedUndoDoesNotStopTheOthers() async throws {
        // A hand-written journal where two completed steps each left something to undo.
        let graph = Scenario.graph(leaveRunning: true)
        var world = Scenario.world(running: false)
        world.directories[Scenario.rootfs] = 0o755
        world.mounts.append(Scenario.overlayMount())
        world.write(Scenario.pidfile, "5000\n")
        world.directories[Scenario.stateDir + "/runs/web"] = 0o700
        world.fail(.remove, pathContains: Scenario.pidfile, error: .io(operation: "remove", path: Scenario.pidfile, message: "read-only file system"))
        let at = Timestamp(millisecondsSinceEpoch: 1)
        let records: [JournalRecord] = [
            .runStarted(.init(runID: "r1", planName: "web", planDigest: try PlanDigest.of(graph), operation: .roundtrip, mode: .external,
                              container: "web", steps: graph.steps.map(\.kind), crplanVersion: "test", at: at)),
            .factsBound(.init(facts: Scenario.facts(), source: "inspect", at: at)),
            .stepSucceeded(.init(step: .rebuildRootfs, outputs: ["mounted": "true"], durationMilliseconds: 1, probed: false, at: at)),
            .stepSucceeded(.init(step: .writePidfile, outputs: ["wroteFile": Scenario.pidfile, "pid": "5000"], durationMilliseconds: 1, probed: false, at: at)),
        ]
        var bytes: [UInt8] = []
        for (index, record) in records.enumerated() { bytes += try JournalLine.encode(record, seq: index + 1) }
        world.files[Scenario.journal] = bytes
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).rollback(graph)
        #expect(report.outcome == .needsAttention)
        #expect(report.run[.writePidfile]?.state == .rollbackFailed)
        #expect(report.run[.rebuildRootfs]?.state == .rolledBack)
        #expect(report.notes.contains { $0.contains("remove \(Scenario.pidfile) by hand") })
        let after = await host.world
        // The pidfile undo came first (reverse order), failed, and the unmount still ran.
        #expect(after.unmounts == [Scenario.rootfs])
        #expect(after.calls.firstIndex(of: .remove(Scenario.pidfile)) ?? 0 < after.calls.firstIndex(of: .unmount(Scenario.rootfs)) ?? 0)
    }

    @Test func journalWriteFailureStopsBeforeTheNextSideEffect() async throws {
        var world = Scenario.world()
        // Appends: run-started, step-started(inspect), facts-bound, step-succeeded(inspect), step-started(dump)...
        world.fail(.append, pathContains: "journal.jsonl", after: 4)
        let host = FakeHost(world)
        await #expect(throws: ExecutorError.self) { try await Scenario.executor(host).apply(Scenario.graph()) }
        do {
            _ = try await Scenario.executor(host).apply(Scenario.graph())
        } catch {
            // The second apply finds the unfinished run.
            guard case .unfinishedRun = error else { Issue.record("unexpected \(error)"); return }
        }
        let after = await host.world
        #expect(after.count("criu", "dump") == 0)
        #expect(after.heldLocks.isEmpty)
        // Nothing after the failed append: no command, no directory, no rollback record.
        guard let failedAppend = after.calls.lastIndex(of: .append(Scenario.journal)) else { Issue.record("no append"); return }
        let later = after.calls[(failedAppend + 1)...].filter { call in
            switch call {
            case .run, .makeDirectory, .writeAtomically, .move, .remove, .unmount: true
            default: false
            }
        }
        #expect(later.isEmpty)
    }

    @Test func journalWriteFailureIsFatalAndNamesTheJournal() async throws {
        var world = Scenario.world()
        world.fail(.append, pathContains: "journal.jsonl", after: 8, error: .io(operation: "fsync", path: Scenario.journal, message: "No space left on device"))
        let host = FakeHost(world)
        do {
            _ = try await Scenario.executor(host).apply(Scenario.graph())
            Issue.record("apply succeeded")
        } catch {
            guard case .journal(.writeFailed(let path, let reason)) = error else { Issue.record("unexpected \(error)"); return }
            #expect(path == Scenario.journal)
            #expect(reason.contains("No space left on device"))
            #expect(error.exitCode == 4)
        }
        #expect(await host.world.count("criu", "dump") == 1)
        #expect(await host.world.count("criu", "restore") == 0)
    }

    @Test func nativeCheckpointFailureLeavesTheContainerRunning() async throws {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "failing checkpoint", matches: { Scenario.isCommand($0, "docker", "checkpoint", "create") }) { _, _ in
            CommandResult(status: .exited(1), standardError: "Error response from daemon: Cannot checkpoint container web: runc did not terminate successfully")
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph(mode: .native))
        #expect(report.failedStep == .checkpointCreate)
        #expect(report.outcome == .rolledBack)
        #expect(report.error?.contains("runc did not terminate successfully") == true)
        #expect(report.notes.contains { $0.contains("is still running") })
        #expect(await host.world.count("docker", "start") == 0)
    }

    @Test func nativeStartFailureKeepsTheCheckpointAndRollsForward() async throws {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "failing start", matches: { Scenario.isCommand($0, "docker", "start") }) { _, _ in
            CommandResult(status: .exited(1), standardError: "Error response from daemon: failed to restore")
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph(mode: .native))
        #expect(report.failedStep == .startFromCheckpoint)
        #expect(report.outcome == .needsAttention)
        #expect(report.notes.contains { $0.contains("checkpoint is kept") })
        #expect(report.notes.contains { $0.contains("only copy of its state") })
        #expect(report.next.map(\.verb) == [.resume])
        #expect(await host.world.files[Scenario.pidfile] == nil)
    }
}
