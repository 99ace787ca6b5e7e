import Foundation
import Testing
@testable import CRPlanCore

/// A corrupt journal does not hide the other plans' runs from `status`,
/// and `resume --force-changed-plan` goes on with a changed plan, journaled.
@Suite struct ExecutorDamagedRunTests {
    static let otherPlan = "web2"

    /// A second plan on the same container (its checkpoint run is journaled too).
    static func otherGraph() -> StepGraph {
        Scenario.compile(Scenario.planText(operation: .checkpoint).replacingOccurrences(of: "name: web\n", with: "name: \(otherPlan)\n"))
    }

    /// Flips a byte in the journal's line `line` (1-based), past its `seq`.
    static func damage(line: Int, of host: FakeHost) async {
        await host.update { world in
            var bytes = world.files[Scenario.journal] ?? []
            var start = 0
            for _ in 1..<line { start = (bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? 0) + 1 }
            bytes[start + 40] ^= 0x01
            world.files[Scenario.journal] = bytes
        }
    }

    @Test func statusOfEveryPlanShowsTheOthersAndTheReadableLinesOfACorruptJournal() async throws {
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        _ = try await Scenario.executor(host).apply(Self.otherGraph())
        let lines = (await host.world.text(Scenario.journal) ?? "").split(separator: "\n").count
        #expect(lines > 6)
        await Self.damage(line: 5, of: host)

        let all = try await Scenario.executor(host).statusOfEveryPlan()
        #expect(all.statuses.map(\.planName) == ["web", Self.otherPlan])
        #expect(all.failures.isEmpty)
        let web = try #require(all.statuses.first)
        #expect(web.corruption?.hasPrefix("line 5: ") == true, "\(web.corruption ?? "nil")")
        // The four lines before it: run-started, step-started, progress, ...
        #expect(web.run.runID.isEmpty == false)
        #expect(web.run.phase == .inProgress)
        #expect(all.problems.map(\.planName) == ["web"])
        #expect(all.problems.first?.reason.contains("journal is corrupt at line 5") == true)
        #expect(all.statuses.last?.corruption == nil)

        // The plan alone too: its readable lines, with the damage named.
        let alone = try #require(try await Scenario.executor(host).status(planName: "web"))
        #expect(alone.corruption == web.corruption)
        // apply, resume and rollback still touch nothing.
        await #expect(throws: ExecutorError.self) { try await Scenario.executor(host).resume(Scenario.graph()) }
    }

    @Test func aJournalDamagedAtItsFirstLineIsNamedAndTheOthersStillShown() async throws {
        let host = FakeHost(Scenario.world())
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        _ = try await Scenario.executor(host).apply(Self.otherGraph())
        await Self.damage(line: 1, of: host)
        let all = try await Scenario.executor(host).statusOfEveryPlan()
        #expect(all.statuses.map(\.planName) == [Self.otherPlan])
        #expect(all.failures.map(\.planName) == ["web"])
        #expect(all.failures.first?.error.exitCode == 4)
        #expect(all.problems.first?.reason.contains("journal.jsonl:1") == true)
        await #expect(throws: ExecutorError.self) { try await Scenario.executor(host).statusOfAllPlans() }
    }

    @Test func resumeWithAForcedChangedPlanGoesOnWarnsAndJournalsIt() async throws {
        let host = try await ExecutorResumeTests().crashedRun(afterRunning: .dump)
        let changed = Scenario.compile(Scenario.planText().replacingOccurrences(of: "leaveRunning: false", with: "leaveRunning: false\n  logLevel: 2"))
        let newDigest = try PlanDigest.of(changed)
        await #expect(throws: ExecutorError.self) { try await Scenario.executor(host).resume(changed) }

        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events) { $0.forceChangedPlan = true }.resume(changed)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        #expect(events.events.contains { $0.kind == .note && $0.message?.contains("warning: the steps of plan web changed") == true })
        let resumed = try await host.journalRecords().compactMap { record -> JournalRecord.RunResumed? in
            if case .runResumed(let resumed) = record { resumed } else { nil }
        }
        #expect(resumed.map(\.forcedPlanDigest) == [newDigest])
        #expect(report.run.planDigest == newDigest)
        #expect(report.run.forcedPlanChanges == [newDigest])
        #expect(await host.world.count("criu", "dump") == 1)
    }

    @Test func forcingAnUnchangedPlanJournalsNothingForced() async throws {
        let host = try await ExecutorResumeTests().crashedRun(afterRunning: .dump)
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events) { $0.forceChangedPlan = true }.resume(Scenario.graph())
        #expect(report.outcome == .succeeded)
        #expect(report.run.forcedPlanChanges == nil)
        #expect(!events.events.contains { $0.message?.contains("warning:") == true })
    }
}
