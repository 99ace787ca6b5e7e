import CRPlanCore
import Foundation
import Glibc
import Testing

/// One cell of the fault matrix: crplan SIGKILLed (`CRPLAN_FAILPOINT`) at
/// one point of one step of a roundtrip, then `crplan resume`.
struct FaultCell: Sendable, CustomTestStringConvertible {
    var mode: String
    var failpoint: String
    /// What `crplan resume` does after the kill: 0 it completes the run.
    var resumeExit: Int32 = 0

    var kind: String { String(failpoint.split(separator: ":")[0]) }
    var step: String { String(failpoint.split(separator: ":")[1]) }
    var label: String { "fault-" + (mode == "native" ? "n-" : "x-") + failpoint.replacingOccurrences(of: ":", with: "-") }
    var testDescription: String { "\(mode) roundtrip killed at \(failpoint)" }

    /// Before the step's side effect (`step-started`), during it (the child
    /// exists and is journaled: `command-spawned`), after it (`command-finished`),
    /// after its checks but before its journal record (`step-ran`), after its
    /// `step-finished` event (its record goes out with the next step's start).
    /// Steps without commands have no command points.
    static func cells(mode: String, steps: [(step: String, commands: Int)]) -> [FaultCell] {
        steps.flatMap { step, commands -> [FaultCell] in
            var points = ["step-started:\(step)"]
            if commands > 0 {
                points += ["command-spawned:\(step):\(commands)", "command-finished:\(step):\(commands)"]
            }
            points += ["step-ran:\(step)", "step-finished:\(step)"]
            return points.map { FaultCell(mode: mode, failpoint: $0) }
        }
    }

    /// Every step of the external roundtrip (rebuild-rootfs: its 2nd command is the mount).
    static let external = cells(mode: "external", steps: [
        ("inspect", 1), ("dump", 1), ("verify-dump-log", 0), ("wait-container-exited", 1),
        ("rebuild-rootfs", 2), ("restore", 1), ("write-pidfile", 0),
    ])

    /// Every step of the native roundtrip.
    static let native = cells(mode: "native", steps: [
        ("inspect", 1), ("checkpoint-create", 1), ("wait-container-exited", 1), ("start-from-checkpoint", 1), ("write-pidfile", 0),
    ])

    /// The cells every e2e run (and CI) goes through: each kill point at least
    /// once, on the steps with the most at stake (the dump and the checkpoint,
    /// crplan's mount, the restore and the native start, the pidfile), and the
    /// two native cells that failed on the first full run. About 2 minutes; the
    /// whole matrix (54 cells, about 10 minutes) runs with CRPLAN_FAULT_MATRIX=1.
    static let representativeFailpoints: Set<String> = [
        "external:command-spawned:dump:1", "external:step-ran:dump", "external:command-finished:rebuild-rootfs:2",
        "external:command-spawned:restore:1", "external:step-ran:restore", "external:step-started:write-pidfile",
        "native:command-finished:checkpoint-create:1", "native:step-ran:checkpoint-create",
        "native:command-spawned:start-from-checkpoint:1", "native:step-finished:start-from-checkpoint",
    ]

    /// The cells to run: every cell with CRPLAN_FAULT_MATRIX=1, the representative ones otherwise;
    /// only those named in CRPLAN_FAULT_CELLS (`mode:failpoint`, comma-separated) when it is set.
    static var selected: [FaultCell] {
        let all = external + native
        if let names = ProcessInfo.processInfo.environment["CRPLAN_FAULT_CELLS"], !names.isEmpty {
            let wanted = Set(names.split(separator: ",").map(String.init))
            return all.filter { wanted.contains("\($0.mode):\($0.failpoint)") }
        }
        guard ProcessInfo.processInfo.environment["CRPLAN_FAULT_MATRIX"] != "1" else { return all }
        return all.filter { representativeFailpoints.contains("\($0.mode):\($0.failpoint)") }
    }
}

extension EndToEnd {
    /// Issue 9: a kill at any moment never dumps twice nor leaves two copies;
    /// `crplan resume` completes the run. See docs/reliability.md, "Fault matrix".
    // About 10 s a cell on the shared machine: a representative subset runs
    // by default, the whole matrix with CRPLAN_FAULT_MATRIX=1 (docs/reliability.md).
    @Suite("Fault matrix")
    struct FaultMatrix {
        @Test("kill at a point of a step, then resume: one copy, /foo continues, images intact, no stray mount or criu, status true",
              arguments: FaultCell.selected)
        func killThenResume(_ cell: FaultCell) async throws {
            try await withCounter(cell.label) { scenario in
                var plan = scenario.plan(cell.label, mode: cell.mode)
                if cell.mode == "native" { plan.checkpointName = "e2e-fault" }
                scenario.track(plan)
                let census = WorkloadCensus(scenario.counter)

                let killed = try await scenario.crplan.apply(plan, failpoint: cell.failpoint)
                #expect(killed.signal == SIGKILL, "crplan was not SIGKILLed at \(cell.failpoint): \(killed)")
                let events = try Crplan.events(killed)
                #expect(events.last?.kind.rawValue == cell.kind && events.last?.step?.rawValue == cell.step,
                        "last event before the kill: \(String(describing: events.last))")
                // The parent-death signal took crplan's direct children with it. A criu that criu
                // forked does not get it and may be left, stopped, in the killed child's process
                // group (its id: the pid of the child, as the last event named it): the resume must
                // kill it. Nothing else of criu may be left.
                let killedGroup: Int32? = cell.kind == "command-spawned"
                    ? events.last?.message.flatMap { $0.hasPrefix("pid ") ? Int32($0.dropFirst(4)) : nil } : nil
                defer { Self.killStrayCriu(scenario) }
                let outsideGroup = { Self.strayCriu(scenario).filter { Proc.processGroup($0) != killedGroup } }
                let noChild = await eventually(timeout: .seconds(10)) { outsideGroup().isEmpty }
                #expect(noChild, "criu still runs after crplan died, outside the killed child's group \(killedGroup.map(String.init) ?? "-"): \(outsideGroup())")
                let leftInGroup = Self.strayCriu(scenario).filter { Proc.processGroup($0) == killedGroup }
                if !leftInGroup.isEmpty {
                    let states = leftInGroup.map { "\($0):\(Proc.status($0)?.state ?? "?")" }
                    print("fault matrix \(cell.label): criu left in the killed child's group \(killedGroup ?? 0): \(states)")
                }

                // status tells the truth about the killed run.
                let killedRun = try await scenario.crplan.status(plan).run
                #expect(killedRun.phase == .inProgress && killedRun.finishedAt == nil, "phase \(killedRun.phase.rawValue)")
                let step = try #require(StepKind(rawValue: cell.step))
                // A step's success is written with the next step's start, and a
                // step that changes nothing is journaled only with the next durable
                // record (docs/executor.md, "What is fsynced, and when"): killed at
                // any point of a step, it is journaled as started — or not at all.
                let changesNothing = ["verify-dump-log", "wait-container-exited"].contains(cell.step)
                let expected: StepState = changesNothing ? .pending : .running
                #expect(killedRun[step]?.state == expected, "\(cell.step) is \(killedRun[step]?.state.rawValue ?? "?")")

                let resumed = try await scenario.crplan.resume(plan)
                #expect(resumed.exitCode == cell.resumeExit, "\(resumed)\njournal:\n\(scenario.crplan.journal(plan))")
                guard resumed.exitCode == 0 else { return }
                let copies = await census.stop()
                #expect(copies.maximum <= 1, "\(copies.maximum) copies of the workload ran at once: \(copies.pids)")
                let pidfile = try #require(plan.pidfile)
                if cell.mode == "native" {
                    let inspect = try await scenario.daemon.inspect(scenario.counter.id)
                    #expect(inspect.state.running, "Docker does not run the container after the resume")
                    let pid = try #require(CounterContainer.pid(inPidfile: pidfile))
                    #expect(pid == inspect.state.pid, "pidfile \(pid), Docker \(inspect.state.pid)")
                    #expect(scenario.counter.workloadCopies() == [pid], "copies: \(scenario.counter.workloadCopies())")
                    try await Expect.continues(scenario.counter, pid: pid, lastBeforeDump: nil)
                    let checkpoints = try await scenario.daemon.run(["checkpoint", "ls", scenario.counter.id])
                    #expect(checkpoints.contains("e2e-fault"), "docker checkpoint ls: \(checkpoints)")
                } else {
                    try await Expect.restoredExternally(scenario, pidfile: pidfile)
                    Expect.imagesKept(try #require(plan.imageDir))
                }
                #expect(Proc.mountCount(scenario.counter.rootfs) == 1,
                        "\(scenario.counter.rootfs) is mounted \(Proc.mountCount(scenario.counter.rootfs)) times")
                #expect(Self.strayCriu(scenario).isEmpty, "criu processes left: \(Self.strayCriu(scenario))")
                if !leftInGroup.isEmpty, let killedGroup {
                    // The resume said what it killed, by group.
                    let killedNote = Self.mentions(try Crplan.events(resumed), "process group \(killedGroup)")
                    #expect(killedNote, "the resume did not report the leftover of group \(killedGroup)")
                }
                let run = try await scenario.crplan.status(plan).run
                #expect(run.phase == .succeeded && run.resumes == 1, "phase \(run.phase.rawValue), \(run.resumes) resumes")
                #expect(run.steps.allSatisfy { $0.state == .succeeded }, "\(run.steps.map { "\($0.step.rawValue)=\($0.state.rawValue)" })")
                // A dump (or checkpoint) that succeeded before the kill is never run again.
                // (The native probe runs the step's `docker inspect`: only the checkpoint command counts.)
                let dumpStep: StepKind = cell.mode == "native" ? .checkpointCreate : .dump
                let dumpCommand = cell.mode == "native" ? " checkpoint create " : " dump "
                let dumpedBeforeKill = events.contains { $0.kind == .stepRan && $0.step == dumpStep }
                let resumeEvents = try Crplan.events(resumed)
                if dumpedBeforeKill {
                    let again = resumeEvents.filter { $0.kind == .commandStarted && $0.step == dumpStep && ($0.message ?? "").contains(dumpCommand) }
                    #expect(again.isEmpty, "resume dumped again: \(again.compactMap(\.message))")
                }
            }
        }

        /// Where rollback, not resume, is the operator's way: killed before the
        /// dump (undone, the container never touched), and killed with crplan's
        /// mount made but not journaled (past the point of no return: the mount
        /// undone, the images kept, the run finished `failed`).
        @Test("kill, then rollback: before the dump the container runs on untouched; after the mount it is undone and the images kept",
              arguments: ["step-started:dump", "step-ran:rebuild-rootfs"])
        func killThenRollback(_ failpoint: String) async throws {
            let label = "fault-rb-" + failpoint.replacingOccurrences(of: ":", with: "-")
            try await withCounter(label) { scenario in
                let counter = scenario.counter
                let plan = scenario.plan(label)
                scenario.track(plan)
                let census = WorkloadCensus(counter)
                let killed = try await scenario.crplan.apply(plan, failpoint: failpoint)
                #expect(killed.signal == SIGKILL, "crplan was not SIGKILLed at \(failpoint): \(killed)")
                let rolledBack = try await scenario.crplan.rollback(plan)
                let beforeDump = failpoint == "step-started:dump"
                #expect(rolledBack.exitCode == (beforeDump ? 0 : 4), "\(rolledBack)\njournal:\n\(scenario.crplan.journal(plan))")
                #expect(Self.strayCriu(scenario).isEmpty, "criu processes left: \(Self.strayCriu(scenario))")
                let run = try await scenario.crplan.status(plan).run
                if beforeDump {
                    #expect(run.phase == .rolledBack, "phase \(run.phase.rawValue)")
                    let inspect = try await scenario.daemon.inspect(counter.id)
                    #expect(inspect.state.running && inspect.state.pid == counter.originalPID, "container: \(inspect.state)")
                    #expect(counter.workloadCopies() == [counter.originalPID])
                    try await Expect.continues(counter, pid: counter.originalPID, lastBeforeDump: nil)
                    #expect(Proc.mountCount(counter.rootfs) == 1)
                } else {
                    #expect(run.phase == .failed && run[.rebuildRootfs]?.state == .rolledBack,
                            "phase \(run.phase.rawValue), rebuild-rootfs \(run[.rebuildRootfs]?.state.rawValue ?? "?")")
                    #expect(!Proc.isMountPoint(counter.rootfs), "\(counter.rootfs) is still mounted")
                    #expect(counter.workloadCopies().isEmpty, "a workload copy runs: \(counter.workloadCopies())")
                    Expect.imagesKept(try #require(plan.imageDir))
                }
                let copies = await census.stop()
                #expect(copies.maximum <= 1, "\(copies.maximum) copies ran at once")
            }
        }

        @Test("every representative failpoint names a cell of the matrix")
        func representativeCellsExist() {
            let names = Set((FaultCell.external + FaultCell.native).map { "\($0.mode):\($0.failpoint)" })
            #expect(FaultCell.representativeFailpoints.subtracting(names).isEmpty)
            #expect(FaultCell.representativeFailpoints.count == 10)
        }

        /// SIGKILLs, by pid, the criu processes of this scenario that are left
        /// (a failed check), so that none outlives the test.
        static func killStrayCriu(_ scenario: Scenario) {
            for pid in strayCriu(scenario) { kill(pid, SIGKILL) }
        }

        /// True when some event's message names `text`.
        static func mentions(_ events: [ExecutionEvent], _ text: String) -> Bool {
            events.contains { ($0.message ?? "").contains(text) }
        }

        /// criu processes of this scenario (its image dir or container id in the command line).
        static func strayCriu(_ scenario: Scenario) -> [Int32] {
            let markers = [scenario.workspace.path, scenario.counter.id]
            return Proc.allPIDs().filter { pid in
                guard Proc.isAlive(pid), let line = Proc.commandLine(pid)?.joined(separator: " ") else { return false }
                return line.contains("criu") && markers.contains { line.contains($0) }
            }
        }
    }
}
