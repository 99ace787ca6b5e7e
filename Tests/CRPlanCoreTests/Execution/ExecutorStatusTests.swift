import Foundation
import Testing
@testable import CRPlanCore

@Suite struct ExecutorStatusTests {
    @Test func statusShowsEachStepTimingsAndOutputs() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.failingCriuRestore(), at: 0)
        let host = FakeHost(world)
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        let status = try #require(try await Scenario.executor(host).status(planName: "web"))
        #expect(status.journalPath == Scenario.journal)
        #expect(status.run.phase == .needsRollForward)
        #expect(status.run.steps.map(\.step) == Scenario.graph().steps.map(\.kind))
        #expect(status.run.steps.map(\.state) == [.succeeded, .succeeded, .succeeded, .succeeded, .rolledBack, .failed, .pending])
        let dump = try #require(status.run[.dump])
        #expect(dump.durationMilliseconds == 100)
        #expect(dump.outputs["imageDir"] == Scenario.imageDir)
        #expect(dump.startedAt != nil && dump.finishedAt != nil)
        #expect(status.run[.rebuildRootfs]?.rollbackAction == "unmounted \(Scenario.rootfs)")
        #expect(status.run.notes.contains { $0.contains("resume the run to restore it") })

        // Codable for --format json.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(status), as: UTF8.self)
        #expect(json.contains(#""phase":"needs-roll-forward""#))
        #expect(json.contains(#""state":"rolled-back""#))
        #expect(try JSONDecoder().decode(RunStatus.self, from: Data(json.utf8)) == status)
    }

    @Test func statusReportsATornLastLineAndKeepsHistory() async throws {
        let host = FakeHost(Scenario.world(running: false))
        _ = try await Scenario.executor(host).apply(Scenario.graph())  // fails at inspect, rolled back
        await host.update { world in
            world.containers[Scenario.containerID] = .init(facts: Scenario.facts())
            world.processes[Scenario.initPID] = RunningProcess(pid: Scenario.initPID, parentPID: 1, commandLine: Scenario.command)
            world.mounts.append(Scenario.overlayMount())
        }
        _ = try await Scenario.executor(host).apply(Scenario.graph())
        await host.update { $0.files[Scenario.journal, default: []] += Array(#"{"seq":99,"sha"#.utf8) }
        let status = try #require(try await Scenario.executor(host).status(planName: "web"))
        #expect(status.run.phase == .succeeded)
        #expect(status.tornLastLine?.contains("no newline") == true)
        #expect(status.history.count == 1)
        let all = try await Scenario.executor(host).statusOfAllPlans()
        #expect(all.map(\.planName) == ["web"])
    }

    @Test func statusOfAPlanWithoutRunsIsNil() async throws {
        let host = FakeHost(Scenario.world())
        #expect(try await Scenario.executor(host).status(planName: "web") == nil)
        #expect(try await Scenario.executor(host).statusOfAllPlans().isEmpty)
        await #expect(throws: ExecutorError.invalidPlanName("../etc")) { try await Scenario.executor(host).status(planName: "../etc") }
        // The message states the plan-name rule, not the looser run-folder one.
        let message = ExecutorError.invalidPlanName("../etc").description
        #expect(message.contains("may hold only lowercase letters, digits and `-`"), "\(message)")
        #expect(!message.contains("`_`, `.` and `-`"), "\(message)")
    }

    @Test func eventsEncodeAsJSONLines() async throws {
        let host = FakeHost(Scenario.world())
        let events = EventRecorder()
        _ = try await Scenario.executor(host, observer: events).apply(Scenario.graph(operation: .checkpoint))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try events.events.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        #expect(lines.first?.contains(#""kind":"run-started""#) == true)
        #expect(lines.contains { $0.contains(#""kind":"step-finished""#) && $0.contains(#""step":"dump""#) && $0.contains(#""durationMilliseconds":100"#) })
        #expect(lines.last?.contains(#""outcome":"succeeded""#) == true)
        #expect(lines.allSatisfy { !$0.contains("\n") })
    }

    @Test func stateDirectoryComesFromFlagThenEnvironment() {
        #expect(RunFolder.stateDirectory(flag: "/x", environment: ["CRPLAN_STATE_DIR": "/y"]) == "/x")
        #expect(RunFolder.stateDirectory(flag: nil, environment: ["CRPLAN_STATE_DIR": "/y"]) == "/y")
        #expect(RunFolder.stateDirectory(flag: nil, environment: [:]) == "/var/lib/crplan")
        #expect(RunFolder(stateDirectory: "/var/lib/crplan/", planName: "web").journal == "/var/lib/crplan/runs/web/journal.jsonl")
        #expect(!RunFolder.isValidPlanName(".locks"))
        #expect(!RunFolder.isValidPlanName("a/b"))
        #expect(RunFolder.isValidPlanName("web-1.prod_2"))
    }
}
