import Foundation
import Testing
@testable import CRPlanCore

/// `criu.preDump` at run time: a kernel without soft-dirty tracking refuses
/// the run at `check-memory-tracking`, before any pre-dump or dump; with it,
/// the pre-dumps run in order into their folders, then the dump.
@Suite struct ExecutorPreDumpTests {
    static func graph(iterations: Int = 2) -> StepGraph {
        Scenario.compile(Scenario.planText().replacingOccurrences(
            of: "criu:\n", with: "criu:\n  preDump:\n    iterations: \(iterations)\n"
        ))
    }

    @Test func noDirtyTrackingRefusesBeforeAnythingIsFrozen() async throws {
        var world = Scenario.world()
        world.handlers.insert(Scenario.criuCheck(dirtyTracking: false), at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Self.graph())
        #expect(report.outcome == .rolledBack)
        #expect(report.exitCode == 1)
        #expect(report.failedStep == .checkMemoryTracking)
        let error = try #require(report.error)
        #expect(error.contains("this kernel does not track memory changes, which `criu.preDump` needs"))
        #expect(error.contains("Dirty tracking is OFF. Memory snapshot will not work."))
        #expect(error.contains("Nothing was frozen: container web (\(Scenario.containerID)) still runs untouched"))
        #expect(report.notes.contains { $0.contains("remove `criu.preDump`") })
        let after = await host.world
        #expect(after.commandsRun == [
            ["docker", "inspect", "--type", "container", "--", "web"],
            ["criu", "check", "--feature", "mem_dirty_track"],
        ])
        #expect(after.processes[Scenario.initPID] != nil)
        #expect(after.directories[Scenario.imageDir + "/pre-dump-1"] == nil)
    }

    @Test func preDumpsRunInOrderThenTheDumpNamesTheLast() async throws {
        let host = FakeHost(Scenario.world())
        let report = try await Scenario.executor(host).apply(Self.graph(iterations: 2))
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let after = await host.world
        let criu = after.commandsRun.filter { $0.first == "criu" }.map { Array($0.prefix(2)) }
        #expect(criu == [["criu", "check"], ["criu", "pre-dump"], ["criu", "pre-dump"], ["criu", "dump"], ["criu", "restore"]])
        for iteration in 1...2 {
            let folder = Scenario.imageDir + "/pre-dump-\(iteration)"
            #expect(after.directories[folder] == 0o700)
            #expect(after.files[folder + "/pre-dump.log"] != nil)
        }
        let dump = try #require(after.commandsRun.first { Array($0.prefix(2)) == ["criu", "dump"] })
        #expect(Array(dump.suffix(3)) == ["--prev-images-dir", "pre-dump-2", "--track-mem"])
        #expect(Array(report.run.steps.map(\.step).prefix(5)) == [StepKind.inspect, .checkMemoryTracking, .preDump1, .preDump2, .dump])
    }

    @Test func aFailedPreDumpLeavesTheContainerRunningAndKeepsItsImages() async throws {
        var world = Scenario.world()
        world.handlers.insert(.init(name: "failing pre-dump", matches: { Scenario.isCommand($0, "criu", "pre-dump") }) { world, invocation in
            let directory = Scenario.argument(after: "-D", in: invocation.argv) ?? "/nowhere"
            world.write(directory + "/pre-dump.log", "(00.001) Error (criu/mem.c:1): Tracking memory is not available\n(00.002) Pre-dumping FAILED.\n")
            return CommandResult(status: .exited(1))
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(Self.graph(iterations: 1))
        #expect(report.outcome == .rolledBack)
        #expect(report.failedStep == .preDump1)
        #expect(report.error?.contains("Tracking memory is not available") == true)
        #expect(report.notes.contains { $0.contains("a pre-dump never stops the container") })
        let after = await host.world
        #expect(after.count("criu", "dump") == 0)
        #expect(after.processes[Scenario.initPID] != nil)
        #expect(after.files[Scenario.imageDir + "/pre-dump-1/pre-dump.log"] != nil)
    }
}
