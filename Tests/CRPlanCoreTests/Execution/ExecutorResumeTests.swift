import Foundation
import Testing
@testable import CRPlanCore

/// Crash at every side effect of a roundtrip, then resume: the probes must
/// never dump twice nor restore a second copy, and the run must finish.
@Suite struct ExecutorResumeTests {
    /// The number of side effects a clean roundtrip makes.
    func sideEffectsOfACleanRun() async throws -> Int {
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        return await host.world.sideEffects
    }

    @Test func crashAtEverySideEffectThenResume() async throws {
        let total = try await sideEffectsOfACleanRun()
        #expect(total > 20)
        var probedDone: Set<StepKind> = []
        for tear in [false, true] {
            for crashAt in 1...total {
                var world = Scenario.world()
                world.crashAtSideEffect = crashAt
                world.tearCrashingAppend = tear
                let host = FakeHost(world)
                let graph = Scenario.graph()
                do {
                    _ = try await Scenario.executor(host).apply(graph)
                    Issue.record("crash at \(crashAt): apply did not stop")
                } catch {}
                await host.restartAfterCrash()

                let report = try await resumeOrApply(host, graph)
                let label = "crash at side effect \(crashAt)\(tear ? " (torn)" : "")"
                #expect(report.outcome == .succeeded, "\(label): \(report.error ?? "") \(report.notes)")
                let after = await host.world
                #expect(after.count("criu", "dump") == 1, "\(label): dumped \(after.count("criu", "dump")) times")
                #expect(after.count("criu", "restore") == 1, "\(label): restored \(after.count("criu", "restore")) times")
                let live = after.processes.values.filter { $0.commandLine == Scenario.command }
                #expect(live.count == 1, "\(label): \(live.count) copies run")
                #expect(after.text(Scenario.pidfile) == live.first.map { "\($0.pid)\n" }, "\(label)")
                let records = try await host.journalRecords()
                #expect(records.last?.type == "run-finished", "\(label)")
                probedDone.formUnion(report.run.steps.filter(\.probed).map(\.step))
            }
        }
        // Some crash points left each step with side effects finished but not journaled.
        #expect(probedDone.isSuperset(of: [.dump, .rebuildRootfs, .restore, .writePidfile]), "\(probedDone)")
    }

    /// A resume can be killed too: crash the run, crash its resume a few side
    /// effects later, then resume again; still one dump, one restore, one copy.
    @Test func crashDuringResumeThenResumeAgain() async throws {
        let total = try await sideEffectsOfACleanRun()
        for firstCrash in stride(from: 1, through: total, by: 3) {
            for secondCrash in 1...6 {
                var world = Scenario.world()
                world.crashAtSideEffect = firstCrash
                world.tearCrashingAppend = secondCrash.isMultiple(of: 2)
                let host = FakeHost(world)
                let graph = Scenario.graph()
                _ = try? await Scenario.executor(host).apply(graph)
                await host.restartAfterCrash()
                await host.update { $0.crashAtSideEffect = $0.sideEffects + secondCrash }
                _ = try? await resumeOrApply(host, graph)
                await host.restartAfterCrash()

                let label = "crash at side effect \(firstCrash), then \(secondCrash) into the resume"
                let phase: RunState.Phase
                do {
                    phase = try await resumeOrApply(host, graph).run.phase
                } catch let error as ExecutorError {
                    guard case .runFinished = error else { throw error }
                    // The resume outlived its crash point and finished the run.
                    phase = try #require(try await Scenario.executor(host).status(planName: graph.planName)).run.phase
                }
                #expect(phase == .succeeded, "\(label)")
                let after = await host.world
                #expect(after.count("criu", "dump") == 1, "\(label): dumped \(after.count("criu", "dump")) times")
                #expect(after.count("criu", "restore") == 1, "\(label): restored \(after.count("criu", "restore")) times")
                let live = after.processes.values.filter { $0.commandLine == Scenario.command }
                #expect(live.count == 1, "\(label): \(live.count) copies run")
            }
        }
    }

    @Test func interruptedDumpWithTheContainerRunningIsRunAgain() async throws {
        var world = Scenario.world()
        // Crash just before criu dump runs: step-started(dump) and its progress are journaled.
        world.handlers.insert(.init(name: "crash", matches: { Scenario.isCommand($0, "criu", "dump") }) { world, _ in
            world.crashed = true
            return CommandResult(status: .signalled(9))
        }, at: 0)
        let host = FakeHost(world)
        _ = try? await Scenario.executor(host).apply(Scenario.graph())
        await host.restartAfterCrash()
        await host.update { $0.handlers.removeFirst() }
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).resume(Scenario.graph())
        #expect(report.outcome == .succeeded)
        #expect(report.run[.dump]?.attempts == 2)
        #expect(events.events.contains { $0.kind == .note && $0.step == .dump && $0.message?.contains("still runs") == true })
    }

    @Test func interruptedDumpWithTheContainerGoneNeedsTheOperator() async throws {
        let host = try await crashedRun(afterStarting: .dump) { world in
            world.processes[Scenario.initPID] = nil
        }
        let before = await host.world.sideEffects
        do {
            _ = try await Scenario.executor(host).resume(Scenario.graph())
            Issue.record("resume went on")
        } catch {
            guard case .needsOperator(_, let step, let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(step == .dump)
            #expect(message.contains("pid 4242 is gone"))
            #expect(error.exitCode == 4)
        }
        let after = await host.world
        #expect(after.count("criu", "dump") == 0)
        // Only the resume record was written.
        #expect(after.sideEffects == before + 1)
    }

    @Test func interruptedRestoreWithALiveProcessIsAdoptedNotRestoredAgain() async throws {
        let host = try await crashedRun(afterRunning: .restore)
        let report = try await Scenario.executor(host).resume(Scenario.graph())
        #expect(report.outcome == .succeeded)
        #expect(report.run[.restore]?.probed == true)
        #expect(await host.world.count("criu", "restore") == 1)
    }

    @Test func interruptedRestoreWhoseProcessDiedNeedsTheOperator() async throws {
        let host = try await crashedRun(afterRunning: .restore)
        await host.update { world in
            let pid = Int(world.text(Scenario.criuPidfile) ?? "") ?? 0
            world.processes[pid] = nil
        }
        await #expect(throws: ExecutorError.self) { try await Scenario.executor(host).resume(Scenario.graph()) }
        #expect(await host.world.count("criu", "restore") == 1)
    }

    @Test func interruptedRebuildIsFoundMountedAndLaterUnmounted() async throws {
        let host = try await crashedRun(afterRunning: .rebuildRootfs)
        // The operator decides to roll back instead: the mount crplan made is undone.
        let report = try await Scenario.executor(host).rollback(Scenario.graph())
        #expect(report.run[.rebuildRootfs]?.probed == true)
        #expect(report.run[.rebuildRootfs]?.state == .rolledBack)
        #expect(await host.world.unmounts == [Scenario.rootfs])
        #expect(report.run.phase == .failed)
        #expect(report.notes.contains { $0.contains("only copy of the workload") })
    }

    @Test func rollbackAfterARestoreNeverTouchesTheWorkload() async throws {
        let host = try await crashedRun(afterRunning: .writePidfile)
        let report = try await Scenario.executor(host).rollback(Scenario.graph())
        #expect(report.run[.writePidfile]?.state == .succeeded)
        #expect(report.notes.contains { $0.contains("never undoes a restore") })
        let after = await host.world
        #expect(after.unmounts.isEmpty)
        #expect(after.files[Scenario.pidfile] != nil)
        #expect(after.processes.values.contains { $0.commandLine == Scenario.command })
    }

    @Test func resumeAfterAFixedRestoreFailureRollsForward() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        let host = FakeHost(world)
        let failed = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(failed.run.phase == .needsRollForward)
        await host.update { $0.handlers.removeFirst() }
        let report = try await Scenario.executor(host).resume(Scenario.graph())
        #expect(report.outcome == .succeeded)
        let after = await host.world
        #expect(after.count("criu", "dump") == 1)
        #expect(after.count("criu", "restore") == 2)
        #expect(after.count("mount") == 2)
        #expect(report.run[.rebuildRootfs]?.attempts == 2)
    }

    // MARK: Refusals that touch nothing

    @Test func corruptMiddleLineStopsResumeAndRollbackTouchingNothing() async throws {
        let host = try await crashedRun(afterRunning: .dump)
        await host.update { world in
            var bytes = world.files[Scenario.journal] ?? []
            let secondLine = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? 0) + 1
            bytes[secondLine + 90] ^= 0x01
            world.files[Scenario.journal] = bytes
        }
        let before = await host.world
        for command in ["resume", "rollback", "apply"] {
            do {
                let executor = Scenario.executor(host)
                _ = try await command == "resume" ? executor.resume(Scenario.graph())
                    : command == "rollback" ? executor.rollback(Scenario.graph()) : executor.apply(Scenario.graph())
                Issue.record("\(command) went on")
            } catch {
                guard case .journal(.corrupt(let path, let line, _)) = error else { Issue.record("\(command): \(error)"); continue }
                #expect(path == Scenario.journal)
                #expect(line == 2)
                #expect(error.exitCode == 4)
                #expect(error.description.contains("journal.jsonl:2: journal is corrupt"))
            }
        }
        let after = await host.world
        #expect(after.files == before.files)
        #expect(after.mounts == before.mounts)
        #expect(after.sideEffects == before.sideEffects)
        #expect(after.heldLocks.isEmpty)
    }

    @Test func changedPlanStopsResume() async throws {
        let host = try await crashedRun(afterRunning: .dump)
        let changed = Scenario.compile(Scenario.planText().replacingOccurrences(of: "leaveRunning: false", with: "leaveRunning: false\n  logLevel: 2"))
        let before = await host.world.sideEffects
        do {
            _ = try await Scenario.executor(host).resume(changed)
            Issue.record("resume went on")
        } catch {
            guard case .planChanged = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.exitCode == 2)
            #expect(error.description.contains("changed since run"))
        }
        #expect(await host.world.sideEffects == before)
    }

    @Test func applyRefusesAnUnfinishedRun() async throws {
        let host = try await crashedRun(afterRunning: .dump)
        let before = await host.world.sideEffects
        do {
            _ = try await Scenario.executor(host).apply(Scenario.graph())
            Issue.record("apply went on")
        } catch {
            guard case .unfinishedRun(let plan, _, let phase) = error else { Issue.record("unexpected \(error)"); return }
            #expect(plan == "web")
            #expect(phase == .inProgress)
            #expect(error.next.map(\.verb) == [.resume, .rollback, .status])
        }
        #expect(await host.world.sideEffects == before)
        #expect(await host.world.count("criu", "dump") == 1)
    }

    @Test func resumeAndRollbackNeedARun() async throws {
        let host = FakeHost(Scenario.world())
        await #expect(throws: ExecutorError.noRun(planName: "web")) { try await Scenario.executor(host).resume(Scenario.graph()) }
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        do {
            _ = try await Scenario.executor(host).rollback(Scenario.graph())
            Issue.record("rollback of a finished run went on")
        } catch {
            guard case .runFinished(_, _, .succeeded) = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    // MARK: Helpers

    /// `resume`, or `apply` when the crash came before the run was journaled.
    func resumeOrApply(_ host: FakeHost, _ graph: StepGraph) async throws -> RunReport {
        let executor = Scenario.executor(host)
        do {
            return try await executor.resume(graph)
        } catch {
            guard error == .noRun(planName: graph.planName) else { throw error }
        }
        return try await executor.apply(graph)
    }

    /// A roundtrip that "crashed" just after journaling `step-started` for `kind`.
    func crashedRun(afterStarting kind: StepKind, adjust: @Sendable (inout FakeWorld) -> Void = { _ in }) async throws -> FakeHost {
        // Rebuild the world as it was: start again, crash at the side effect after that append.
        try await crash(afterAppendHolding: { if case .stepStarted(let started) = $0 { started.step == kind } else { false } }, adjust: adjust)
    }

    /// A roundtrip that "crashed" after `kind`'s side effects, before its
    /// `step-succeeded` was written (with the next step's `step-started`).
    func crashedRun(afterRunning kind: StepKind) async throws -> FakeHost {
        try await crash(atAppendHolding: { if case .stepSucceeded(let done) = $0 { done.step == kind } else { false } })
    }

    /// The 1-based index of the first journal append (one write, possibly
    /// several records) holding a record `matches` accepts, in a clean run.
    func appendIndex(holding matches: (JournalRecord) -> Bool) async throws -> Int {
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        let appends = await host.world.appends
        for (index, append) in appends.enumerated() {
            let records = append.bytes.split(separator: UInt8(ascii: "\n")).compactMap { try? JournalLine.decode($0).record }
            if records.contains(where: matches) { return index + 1 }
        }
        throw HostError.notFound(path: "no append holds the record")
    }

    func crash(atAppendHolding matches: (JournalRecord) -> Bool) async throws -> FakeHost {
        try await crash(atAppend: try await appendIndex(holding: matches))
    }

    func crash(afterAppendHolding matches: (JournalRecord) -> Bool, adjust: @Sendable (inout FakeWorld) -> Void) async throws -> FakeHost {
        try await crash(atAppend: try await appendIndex(holding: matches) + 1, adjust: adjust)
    }

    /// Runs a roundtrip that dies just before the `append`-th journal append.
    func crash(atAppend append: Int, adjust: @Sendable (inout FakeWorld) -> Void = { _ in }) async throws -> FakeHost {
        let probe = FakeHost(Scenario.world())
        _ = try await Scenario.executor(probe).apply(Scenario.graph())
        let calls = await probe.world.calls
        var sideEffect = 0
        var appends = 0
        var crashAt: Int?
        for call in calls {
            switch call {
            case .run, .makeDirectory, .writeAtomically, .append, .truncate, .move, .remove, .unmount:
                sideEffect += 1
                if case .append = call {
                    appends += 1
                    if appends == append { crashAt = sideEffect }
                }
            default: break
            }
            if crashAt != nil { break }
        }
        var world = Scenario.world()
        world.crashAtSideEffect = crashAt
        let host = FakeHost(world)
        _ = try? await Scenario.executor(host).apply(Scenario.graph())
        await host.restartAfterCrash()
        await host.update(adjust)
        return host
    }
}
