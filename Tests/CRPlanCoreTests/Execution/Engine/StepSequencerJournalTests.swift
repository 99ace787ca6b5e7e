import Testing
@testable import CRPlanCore

/// What a run writes to its journal, append by append: a step's success
/// goes out with the next step's start in one fsync, a step that changes
/// nothing is journaled only with the next durable record, and a child's
/// pid record is written without an fsync. Resume must decide as before
/// after a crash of crplan and after a machine crash (unsynced lines lost).
@Suite struct StepSequencerJournalTests {
    func journalAppends(_ host: FakeHost) async -> [FakeAppend] {
        await host.world.appends.filter { $0.path == Scenario.journal }
    }

    static func isChildRecord(_ append: FakeAppend) -> Bool {
        append.recordTypes == ["step-progress"]
            && String(decoding: append.bytes, as: UTF8.self).contains(JournaledChild.pidKey)
    }

    @Test func aStepsSuccessIsWrittenWithTheNextStepsStart() async throws {
        let host = FakeHost(Scenario.world())
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.outcome == .succeeded)
        let appends = await journalAppends(host)
        for append in appends where append.recordTypes.contains("step-succeeded") {
            // Never a write of its own: the next durable record shares its fsync.
            #expect(append.synced)
            let last = try #require(append.recordTypes.last)
            #expect(["step-started", "run-finished"].contains(last), "\(append.recordTypes)")
        }
        // The whole run is in the journal, in order.
        let types = try await host.journalRecords().map(\.type)
        #expect(types.first == "run-started")
        #expect(types.last == "run-finished")
        #expect(types.filter { $0 == "step-succeeded" }.count == Scenario.graph().steps.count)
    }

    @Test func stepsThatChangeNothingAreJournaledOnlyWithTheNextDurableRecord() async throws {
        let host = FakeHost(Scenario.world())
        let events = EventRecorder()
        _ = try await Scenario.executor(host, observer: events).apply(Scenario.graph())
        let appends = await journalAppends(host)
        // From the dump's success to the rebuild's start: one write, one fsync.
        let batch = try #require(appends.first { $0.recordTypes.contains("step-succeeded") && $0.recordTypes.last == "step-started"
            && String(decoding: $0.bytes, as: UTF8.self).contains(#""step":"verify-dump-log""#) })
        #expect(batch.synced)
        #expect(batch.recordTypes == ["step-succeeded", "step-started", "step-succeeded", "step-started", "step-succeeded", "step-started"])
        let text = String(decoding: batch.bytes, as: UTF8.self)
        for kind in ["dump", "verify-dump-log", "wait-container-exited", "rebuild-rootfs"] {
            #expect(text.contains(#""step":"\#(kind)""#), "\(kind)")
        }
        // Their commands' children are not journaled; the events still report every spawn.
        let records = try await host.journalRecords()
        let childSteps = records.compactMap { record -> StepKind? in
            guard case .stepProgress(let progress) = record, progress.values[JournaledChild.pidKey] != nil else { return nil }
            return progress.step
        }
        #expect(!childSteps.contains(.waitContainerExited))
        #expect(childSteps.contains(.dump) && childSteps.contains(.restore) && childSteps.contains(.inspect))
        let world = await host.world
        #expect(events.kinds(.commandSpawned).count == world.commandsRun.count)
        #expect(events.kinds(.stepStarted).count == Scenario.graph().steps.count)
    }

    @Test func childRecordsAreWrittenWithoutAnFsyncAndEverythingElseWithOne() async throws {
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        let appends = await journalAppends(host)
        let children = appends.filter(Self.isChildRecord)
        #expect(!children.isEmpty)
        // Unsynced, unless the line before it is unsynced too (a step's
        // second command: the mount after `mkdir -p`), which this fsync flushes.
        for (index, append) in appends.enumerated() {
            let afterUnsynced = index > 0 && !appends[index - 1].synced
            #expect(append.synced == (!Self.isChildRecord(append) || afterUnsynced), "append \(index + 1): \(append.recordTypes)")
        }
        #expect(children.filter { !$0.synced }.count >= 3)  // inspect, dump, restore
        // Fewer fsyncs than records: run-started, then one per step (its start
        // with the success before it) plus the facts and progress records.
        let records = try await host.journalRecords()
        #expect(appends.filter(\.synced).count < records.count - children.count)
        // The finished journal is synced to its end.
        let world = await host.world
        #expect(world.syncedLength[Scenario.journal] == world.files[Scenario.journal]?.count)
    }

    /// The machine dies at any side effect (crplan with it): the journal
    /// keeps only its fsynced bytes. It still reads (at most a torn last
    /// line), and the resume never dumps twice, restores a second copy, or
    /// stops on a corrupt journal. (The fake's children are gone, as a
    /// reboot leaves them; the container is kept, the hardest case for the
    /// probes.)
    @Test func aMachineCrashAtAnySideEffectThenResume() async throws {
        let clean = FakeHost(Scenario.world())
        _ = try await Scenario.executor(clean).apply(Scenario.graph())
        let total = await clean.world.sideEffects
        var lostRecords = 0
        for crashAt in 1...total {
            var world = Scenario.world()
            world.crashAtSideEffect = crashAt
            let host = FakeHost(world)
            let graph = Scenario.graph()
            _ = try? await Scenario.executor(host).apply(graph)
            let before = (try? await host.journalRecords().count) ?? 0
            await host.update { $0.loseUnsyncedAppends() }
            await host.restartAfterCrash()
            let label = "machine crash at side effect \(crashAt)"
            let after = try await host.journalRecords().count
            #expect(before - after <= 1, "\(label): lost \(before - after) records")
            lostRecords += before - after

            let report = try await ExecutorResumeTests().resumeOrApply(host, graph)
            #expect(report.outcome == .succeeded, "\(label): \(report.error ?? "") \(report.notes)")
            let end = await host.world
            #expect(end.count("criu", "dump") == 1, "\(label): dumped \(end.count("criu", "dump")) times")
            #expect(end.count("criu", "restore") == 1, "\(label): restored \(end.count("criu", "restore")) times")
            #expect(end.processes.values.filter { $0.commandLine == Scenario.command }.count == 1, "\(label)")
        }
        // Some crash points did lose an unsynced child record.
        #expect(lostRecords > 0)
    }
}
