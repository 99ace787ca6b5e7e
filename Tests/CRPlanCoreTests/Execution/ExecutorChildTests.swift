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
        // Every child but those of steps that change nothing (wait-container-exited's docker inspect).
        let polls = try #require(report.run[.waitContainerExited]?.outputs["polls"].flatMap { Int($0) })
        #expect(Set(journaledPIDs).isSubset(of: Set(world.startedChildren.map(\.pid))))
        #expect(journaledPIDs == journaledPIDs.sorted())
        #expect(journaledPIDs.count == world.commandsRun.count - polls)
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

/// What a forked criu leaves in the interrupted attempt's process group
/// after its leader (the journaled child) died with crplan.
@Suite struct ExecutorLeftoverGroupTests {
    /// A crash during `criu dump`: the leader is gone, `leftover` is left in its group.
    func crashLeaving(_ leftover: @Sendable (StartedChild) -> RunningProcess) async throws -> (FakeHost, StartedChild) {
        let host = try await ExecutorChildTests().crashDuringDump(pollsUntilCriuEnds: nil)
        let child = try #require(await host.world.startedChildren.last)
        await host.update { world in
            world.lingering = nil
            world.processes[child.pid] = nil
            let process = leftover(child)
            world.processes[process.pid] = process
        }
        return (host, child)
    }

    static func forked(_ child: StartedChild, state: String, startedEarlier: Bool = false) -> RunningProcess {
        let start = child.startTime ?? 0
        return RunningProcess(
            pid: child.pid + 7, parentPID: 1, commandLine: ["criu", "dump", "-t", "4242"],
            startTime: startedEarlier ? start - 1 : start + 1, processGroupID: child.pid, state: state)
    }

    @Test func resumeKillsAStoppedLeftoverOfTheGroupJournalsItAndDumpsAgain() async throws {
        let (host, child) = try await crashLeaving { Self.forked($0, state: "T") }
        let events = EventRecorder()
        let report = try await Scenario.executor(host, observer: events).resume(Scenario.graph())
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let world = await host.world
        #expect(world.calls.filter { $0 == .killGroup(child.pid) }.count == 1)
        #expect(world.processes[child.pid + 7] == nil)
        #expect(world.count("criu", "dump") == 2)
        let killed = try await host.journalRecords().compactMap { record -> String? in
            guard case .stepProgress(let progress) = record, progress.step == .dump else { return nil }
            return progress.values[RunSession.groupKilledKey]
        }
        #expect(killed == ["pid \(child.pid + 7) (T, `criu dump -t 4242`)"])
        #expect(events.events.contains { $0.kind == .note && $0.step == .dump && $0.message?.contains("killed what was left") == true })
        // The kill comes before the step runs again.
        let killIndex = try #require(world.calls.firstIndex(of: .killGroup(child.pid)))
        let dumps = world.calls.indices.filter { if case .run(let argv) = world.calls[$0] { Scenario.isCommand(argv, "criu", "dump") } else { false } }
        #expect(dumps.count == 2 && dumps[0] < killIndex && killIndex < dumps[1])
    }

    @Test func rollbackKillsAStoppedLeftoverToo() async throws {
        let (host, child) = try await crashLeaving { Self.forked($0, state: "t") }
        _ = try await Scenario.executor(host).rollback(Scenario.graph())
        let world = await host.world
        #expect(world.calls.contains(.killGroup(child.pid)))
        #expect(world.processes[child.pid + 7] == nil)
    }

    @Test func resumeWaitsForAWorkingLeftoverAndRefusesPastTheTimeLimit() async throws {
        let (host, child) = try await crashLeaving { Self.forked($0, state: "S") }
        do {
            _ = try await Scenario.executor(host).resume(Scenario.graph())
            Issue.record("resume went on beside a working criu of the interrupted attempt")
        } catch {
            guard case .needsOperator(_, let step, let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(step == .dump)
            #expect(message.contains("pid \(child.pid + 7)") && message.contains("kill -KILL -- -\(child.pid)"))
        }
        let world = await host.world
        #expect(!world.calls.contains(.killGroup(child.pid)))
        #expect(world.count("criu", "dump") == 1)
        #expect(world.calls.contains { if case .sleep = $0 { true } else { false } })
    }

    @Test func aProcessOlderThanTheChildIsNotTheAttemptsAndIsLeftAlone() async throws {
        let (host, child) = try await crashLeaving { Self.forked($0, state: "T", startedEarlier: true) }
        let report = try await Scenario.executor(host).resume(Scenario.graph())
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let world = await host.world
        #expect(!world.calls.contains(.killGroup(child.pid)))
        #expect(world.processes[child.pid + 7] != nil)
    }

    @Test func aKillThatDoesNotTakeStopsTheResume() async throws {
        let (host, child) = try await crashLeaving { Self.forked($0, state: "T") }
        await host.update { $0.unkillableGroups = [child.pid] }
        do {
            _ = try await Scenario.executor(host).resume(Scenario.graph())
            Issue.record("resume went on beside a leftover it could not kill")
        } catch {
            guard case .needsOperator(_, _, let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(message.contains("SIGKILLed but are still there"))
        }
        #expect(await host.world.count("criu", "dump") == 1)
    }
}
