import Testing
@testable import CRPlanCore

/// `rollback` undoes the run that was journaled, with the steps that run
/// journaled, even when the plan file was edited since (issue 9).
@Suite struct ExecutorChangedPlanRollbackTests {
    /// The same plan name with other steps: a checkpoint has no rebuild-rootfs, so
    /// rolling back with it would leave crplan's mount in place.
    static func edited() -> StepGraph { Scenario.compile(Scenario.planText(operation: .checkpoint)) }

    /// Rewrites the journal with `run-started` as an older crplan wrote it (no graph), checksums recomputed.
    static func dropJournaledGraph(_ host: FakeHost) async throws {
        var records = try await host.journalRecords()
        guard case .runStarted(var start)? = records.first else { Issue.record("no run-started"); return }
        start.graph = nil
        records[0] = .runStarted(start)
        var bytes: [UInt8] = []
        for (index, record) in records.enumerated() { bytes += try JournalLine.encode(record, seq: index + 1) }
        let journal = bytes
        await host.update { $0.files[Scenario.journal] = journal }
    }

    @Test func applyJournalsTheGraphItRuns() async throws {
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        guard case .runStarted(let start)? = try await host.journalRecords().first else { Issue.record("no run-started"); return }
        let graph = try #require(start.graph)
        #expect(graph == Scenario.graph())
        #expect(try PlanDigest.of(graph) == start.planDigest)
    }

    @Test func rollbackAfterThePlanChangedUndoesWhatTheJournaledRunDid() async throws {
        let host = try await ExecutorResumeTests().crashedRun(afterRunning: .rebuildRootfs)
        #expect(try PlanDigest.of(Self.edited()) != PlanDigest.of(Scenario.graph()))
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).rollback(Self.edited())
        #expect(await host.world.unmounts == [Scenario.rootfs])
        #expect(report.run[.rebuildRootfs]?.state == .rolledBack)
        #expect(report.run.phase == .failed)
        #expect(events.events.contains { $0.kind == .note && $0.message?.contains("rolling back with the steps that run journaled") == true })
        #expect(await host.world.count("criu", "dump") == 1)
    }

    @Test func aJournalWithoutItsGraphNeedsTheOldPlanOrForce() async throws {
        let host = try await ExecutorResumeTests().crashedRun(afterRunning: .rebuildRootfs)
        try await Self.dropJournaledGraph(host)
        let before = await host.world.sideEffects
        do {
            _ = try await Scenario.executor(host).rollback(Self.edited())
            Issue.record("rollback went on")
        } catch {
            guard case .planChanged = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("rollback --force-changed-plan"))
        }
        #expect(await host.world.sideEffects == before)

        // The plan as it was still rolls back, with no word about a change.
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).rollback(Scenario.graph())
        #expect(await host.world.unmounts == [Scenario.rootfs])
        #expect(report.run[.rebuildRootfs]?.state == .rolledBack)
        #expect(!events.events.contains { $0.message?.contains("changed since run") == true })
    }

    @Test func forcedRollbackOfAJournalWithoutItsGraphWarnsAndUsesTheEditedPlan() async throws {
        let host = try await ExecutorResumeTests().crashedRun(afterRunning: .dump)
        try await Self.dropJournaledGraph(host)
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events) { $0.forceChangedPlan = true }.rollback(Self.edited())
        #expect(events.events.contains { $0.kind == .note && $0.message?.hasPrefix("warning: the steps of plan web changed") == true })
        #expect(report.run.phase == .failed)
        #expect(await host.world.count("criu", "dump") == 1)
    }
}
