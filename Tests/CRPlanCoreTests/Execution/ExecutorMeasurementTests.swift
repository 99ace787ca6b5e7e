import CRPlanImages
import Foundation
import Testing
@testable import CRPlanCore

@Suite("Executor: the checkpoint measured after dump, restore, checkpoint-create and start-from-checkpoint")
struct ExecutorMeasurementTests {
    @Test("an external roundtrip journals CRIU's statistics and the size with dump and restore")
    func externalRoundtrip() async throws {
        let host = FakeHost(Scenario.world())
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).apply(Scenario.graph())
        #expect(report.outcome == .succeeded)
        var measuredSteps: [StepKind: CheckpointMeasurements] = [:]
        let records = try await host.journalRecords()
        for case .stepSucceeded(let succeeded) in records {
            if let measurements = succeeded.measurements { measuredSteps[succeeded.step] = measurements }
        }
        #expect(Set(measuredSteps.keys) == [.dump, .restore])
        let dump = try #require(measuredSteps[.dump])
        #expect(dump.statistics?.dump?.frozenMicroseconds == 182_400)
        #expect(dump.statistics?.dump?.pagesWritten == 36)
        #expect(dump.statistics?.restore == nil)
        #expect(dump.size?.pagesFiles == 1)
        #expect(dump.problems.isEmpty)
        let restore = try #require(measuredSteps[.restore])
        #expect(restore.statistics?.restore?.pagesRestored == 36)
        // The events carry the same numbers, on step-finished.
        let finished = events.events.filter { $0.kind == .stepFinished && $0.step == .dump }
        #expect(finished.first?.measurements == dump)
        let statisticsNotes = events.events.filter { $0.kind == .note && $0.message?.contains("statistics") == true }
        #expect(statisticsNotes.isEmpty)
        // The run's state and status show them, and the summary adds them up.
        #expect(report.run[.dump]?.measurements == dump)
        let status = try #require(try await Scenario.executor(host).status(planName: Scenario.planName))
        #expect(status.summary?.frozenMicroseconds == 182_400)
        #expect(status.summary?.pagesWritten == 36)
        #expect(status.summary?.downtimeMilliseconds != nil)
        #expect(status.summary?.line.contains("frozen 182.4 ms") == true)
    }

    @Test("a damaged stats-dump becomes a note and a problem; the run still succeeds")
    func damagedStatistics() async throws {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "criu dump, damaged stats", matches: { Scenario.isCommand($0, "criu", "dump") }) { world, invocation in
            let result = Scenario.criuDump().respond(&world, invocation)
            let directory = Scenario.argument(after: "-D", in: invocation.argv) ?? "/nowhere"
            world.write(directory + "/stats-dump", "not a CRIU image")
            return result
        }, at: 0)
        let host = FakeHost(world)
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).apply(Scenario.graph())
        #expect(report.outcome == .succeeded)
        let dump = try #require(report.run[.dump]?.measurements)
        #expect(dump.statistics == nil)
        #expect(dump.size != nil)
        #expect(dump.problems.count == 1)
        let notes = events.events.filter { $0.kind == .note && $0.step == .dump }.compactMap(\.message)
        #expect(notes.count == 1)
        #expect(notes.first?.contains("stats-dump") == true)
    }

    @Test("a host that cannot size the files fails no step")
    func unreadableImages() async throws {
        var world = Scenario.world()
        world.fail(.fileSize, pathContains: "stats-")
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Scenario.graph())
        #expect(report.outcome == .succeeded)
        #expect(report.run[.dump]?.measurements?.problems.isEmpty == false)
        #expect(report.run[.restore]?.measurements?.problems.isEmpty == false)
    }

    @Test("native mode measures Docker's checkpoint folder, which holds no statistics")
    func native() async throws {
        let host = FakeHost(Scenario.world())
        let report = try await Scenario.executor(host).apply(Scenario.graph(mode: .native))
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let created = try #require(report.run[.checkpointCreate]?.measurements)
        #expect(created.statistics == nil)
        #expect(created.size?.pagesBytes == 8_192)
        #expect(created.problems.isEmpty)
        #expect(report.run[.startFromCheckpoint]?.measurements?.size?.pagesBytes == 8_192)
        let graph = Scenario.graph(mode: .native)
        let step = try #require(graph.steps.first { $0.kind == .checkpointCreate })
        let bound = try step.bound(to: Scenario.facts())
        #expect(bound.paths.measuredImages?.literalValue == Scenario.dockerCheckpointFolder(id: Scenario.containerID, name: Scenario.planName))
    }

    @Test("a step-succeeded record without measurements (an older journal) still loads")
    func olderJournal() throws {
        let json = #"{"at":1714564800123,"durationMilliseconds":5,"outputs":{},"probed":false,"step":"dump","type":"step-succeeded"}"#
        let record = try JSONDecoder().decode(JournalRecord.self, from: Data(json.utf8))
        guard case .stepSucceeded(let succeeded) = record else { Issue.record("not step-succeeded"); return }
        #expect(succeeded.measurements == nil)
    }

    @Test("measurements read back from a journal are bounded")
    func boundedFromJournal() throws {
        let many = CheckpointMeasurements(problems: Array(repeating: String(repeating: "x", count: 5_000), count: 100))
        let start = Timestamp(millisecondsSinceEpoch: 1_714_564_800_000)
        let records: [JournalRecord] = [
            .runStarted(.init(
                runID: "r1", planName: "p", planDigest: "sha256:0", operation: .checkpoint, mode: .external, container: "c",
                steps: [.dump], crplanVersion: "0.1.0", at: start)),
            .stepStarted(.init(step: .dump, attempt: 1, at: start)),
            .stepSucceeded(.init(step: .dump, outputs: [:], durationMilliseconds: 1, probed: false, at: start, measurements: many)),
        ]
        let run = try #require(RunState(records: records))
        let kept = try #require(run[.dump]?.measurements?.problems)
        #expect(kept.count == CheckpointMeasurements.maximumProblems + 1)
        #expect(kept.allSatisfy { $0.count <= CheckpointMeasurements.maximumProblemLength + 1 })
    }
}
