import Foundation
import Testing
@testable import CRPlanCore

/// Each child a step starts is journaled (pid + start time) before crplan
/// waits for it; a resume or rollback never runs a step again while the
/// interrupted attempt's child still lives.
@Suite struct ExecutorChildTests {
    @Test func everyCommandsChildIsJournaledBeforeItIsWaitedFor() async throws {
        let host = FakeHost(Scenario.world())
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).apply(Scenario.graph())
        #expect(report.outcome == .succeeded)
        let world = await host.world
        let records = try await host.journalRecords()
        let journaledPIDs = records.compactMap { record -> Int? in
            guard case .stepProgress(let progress) = record else { return nil }
            return progress.values[JournaledChild.pidKey].flatMap { Int($0) }
        }
        #expect(journaledPIDs == world.startedChildren.map(\.pid))
        #expect(journaledPIDs.count == world.commandsRun.count)
        // The dump's child, with its start time and command, before its step succeeded.
        let dumpProgress = records.firstIndex {
            if case .stepProgress(let progress) = $0 { progress.step == .dump && progress.values[JournaledChild.commandKey]?.hasPrefix("criu dump") == true } else { false }
        }
        let dumpSucceeded = records.firstIndex { if case .stepSucceeded(let done) = $0 { done.step == .dump } else { false } }
        #expect(try #require(dumpProgress) < (try #require(dumpSucceeded)))
        #expect(events.kinds(.commandSpawned).count == world.commandsRun.count)
        #expect(events.kinds(.stepRan) == events.kinds(.stepFinished))
    }

    @Test func resumeWaitsOutALiveCriuDumpAndNeverDumpsTwice() async throws {
        let host = try await crashDuringDump(pollsUntilCriuEnds: 3)
        let childPID = try #require(await host.world.lingering?.pid)
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).resume(Scenario.graph())
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let world = await host.world
        #expect(world.count("criu", "dump") == 1, "dumped \(world.count("criu", "dump")) times")
        #expect(world.processes[childPID] == nil)
        #expect(report.run[.dump]?.probed == true)
        let sleeps = world.calls.filter { if case .sleep = $0 { true } else { false } }
        #expect(sleeps.count >= 3)
        #expect(events.events.contains { $0.kind == .note && $0.step == .dump && $0.message?.contains("pid \(childPID)") == true })
    }

    @Test func resumeRefusesWhileTheCriuDumpOutlivesTheStepsTimeLimit() async throws {
        let host = try await crashDuringDump(pollsUntilCriuEnds: nil)
        let childPID = try #require(await host.world.lingering?.pid)
        let before = await host.world.count("criu", "dump")
        do {
            _ = try await Scenario.executor(host).resume(Scenario.graph())
            Issue.record("resume went on beside a live criu dump")
        } catch {
            guard case .needsOperator(_, let step, let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(step == .dump)
            #expect(message.contains("pid \(childPID)"))
            #expect(message.contains("criu dump"))
            #expect(error.exitCode == 4)
        }
        #expect(await host.world.count("criu", "dump") == before)
        // rollback refuses the same way: nothing is undone beside it.
        await #expect(throws: ExecutorError.self) { try await Scenario.executor(host).rollback(Scenario.graph()) }
        #expect(await host.world.unmounts.isEmpty)
    }

    @Test func aReusedPidWithAnotherStartTimeIsNotTheChild() async throws {
        let host = try await crashDuringDump(pollsUntilCriuEnds: nil)
        let childPID = try #require(await host.world.lingering?.pid)
        // The criu child died without dumping; another process got its pid.
        await host.update { world in
            world.lingering = nil
            world.processes[childPID] = RunningProcess(pid: childPID, parentPID: 1, commandLine: ["/usr/bin/other"], startTime: 5)
        }
        let report = try await Scenario.executor(host).resume(Scenario.graph())
        #expect(report.outcome == .succeeded)
        let world = await host.world
        #expect(world.count("criu", "dump") == 2)
        #expect(report.run[.dump]?.attempts == 2)
    }

    @Test func journaledChildValuesAreValidated() {
        #expect(JournaledChild(values: ["child.pid": "1", "child.startTime": "3"]) == nil)
        #expect(JournaledChild(values: ["child.pid": "-5", "child.startTime": "3"]) == nil)
        #expect(JournaledChild(values: ["child.pid": "99999999", "child.startTime": "3"]) == nil)
        #expect(JournaledChild(values: ["child.pid": "123"]) == nil)
        #expect(JournaledChild(values: ["child.pid": "123", "child.startTime": "x"]) == nil)
        let child = JournaledChild(values: ["child.pid": "123", "child.startTime": "77", "child.command": String(repeating: "a", count: 1000)])
        #expect(child?.pid == 123 && child?.startTime == 77 && child?.command.count == 300)
    }

    /// A roundtrip whose crplan died while `criu dump` ran (its child
    /// journaled); the criu process lives on and, after `pollsUntilCriuEnds`
    /// host sleeps (never when nil), finishes the dump and exits.
    func crashDuringDump(pollsUntilCriuEnds polls: Int?) async throws -> FakeHost {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "criu dump outliving crplan", matches: { Scenario.isCommand($0, "criu", "dump") }) { world, invocation in
            guard let child = world.currentChild else { return CommandResult(status: .exited(99)) }
            world.crashed = true
            world.lingering = .init(pid: child.pid, pollsLeft: polls) { world in
                _ = Scenario.criuDump().respond(&world, invocation)
            }
            return CommandResult(status: .signalled(9))
        }, at: 0)
        let host = FakeHost(world)
        _ = try? await Scenario.executor(host).apply(Scenario.graph())
        await host.restartAfterCrash()
        await host.update { $0.handlers.removeFirst() }
        let records = try await host.journalRecords()
        #expect(records.contains {
            if case .stepProgress(let progress) = $0 { progress.step == .dump && progress.values[JournaledChild.pidKey] != nil } else { false }
        })
        return host
    }
}
