import CRPlanCore
import Foundation
import Testing

/// Every end-to-end scenario of issue 4, against the real daemons, CRIU and
/// mounts of a host prepared by `scripts/provision`. One at a time: they
/// share the daemons and the machine's two cores.
@Suite(
    "crplan end to end (real dockerd, CRIU, mounts)", .serialized, .tags(.e2e),
    .enabled(if: E2EHost.shouldRun, E2EHost.disabledReason))
enum EndToEnd {}

/// Checks shared by the scenarios.
enum Expect {
    /// A successful run's events: every step in `steps` finished, in that
    /// order, and the run finished `succeeded`.
    static func succeeded(_ output: CommandOutput, steps: [StepKind], journal: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [ExecutionEvent] {
        try #require(output.exitCode == 0, "crplan failed: \(output)\njournal:\n\(journal)", sourceLocation: sourceLocation)
        let events = try Crplan.events(output)
        let finished = events.filter { $0.kind == .stepFinished }.compactMap(\.step)
        #expect(finished == steps, "steps finished: \(finished)", sourceLocation: sourceLocation)
        #expect(events.last?.kind == .runFinished && events.last?.outcome == "succeeded",
                "last event: \(String(describing: events.last))", sourceLocation: sourceLocation)
        return events
    }

    /// The outputs of the `step-finished` event of `step`.
    static func outputs(of step: StepKind, in events: [ExecutionEvent]) -> [String: String] {
        events.last { $0.kind == .stepFinished && $0.step == step }?.outputs ?? [:]
    }

    /// The restored workload after an external restore: the pidfile names a
    /// live `/bin/sh -c <script>` whose parent is the host's pid 1 (not
    /// Docker's shim), in the container's cgroup, the only copy of the
    /// workload; Docker still says Exited; and `/foo` keeps growing as one
    /// unbroken 0, 1, 2, ... sequence (no restart from 0, no value lost or
    /// repeated across the downtime). With `lastBeforeDump`, the value right
    /// after it is `lastBeforeDump + 1`.
    @discardableResult
    static func restoredExternally(
        _ scenario: Scenario, pidfile: String, lastBeforeDump: Int? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> Int32 {
        let counter = scenario.counter
        let pid = try #require(CounterContainer.pid(inPidfile: pidfile), "no pid in \(pidfile)", sourceLocation: sourceLocation)
        #expect(Proc.isAlive(pid), "the pidfile's pid \(pid) is not alive", sourceLocation: sourceLocation)
        #expect(Proc.commandLine(pid) == CounterContainer.commandLine,
                "pid \(pid) runs \(Proc.commandLine(pid) ?? [])", sourceLocation: sourceLocation)
        #expect(Proc.parent(pid) == 1, "the restored shell's parent is \(Proc.parent(pid).map(String.init) ?? "?"), not 1",
                sourceLocation: sourceLocation)
        #expect(Proc.isInContainerCgroup(pid, containerID: counter.id), "pid \(pid) is not in /docker/\(counter.id)",
                sourceLocation: sourceLocation)
        #expect(counter.workloadCopies() == [pid], "workload copies: \(counter.workloadCopies()), pidfile: \(pid)",
                sourceLocation: sourceLocation)
        #expect(pid != counter.originalPID, sourceLocation: sourceLocation)
        let status = try await scenario.daemon.status(counter.id)
        #expect(status == "exited", "Docker reports \(status) for the restored container", sourceLocation: sourceLocation)
        try await continues(counter, pid: pid, lastBeforeDump: lastBeforeDump, sourceLocation: sourceLocation)
        return pid
    }

    /// `/foo` grows past its current end, as one unbroken sequence from 0,
    /// and the process `pid` sees the same file.
    static func continues(
        _ counter: CounterContainer, pid: Int32, lastBeforeDump: Int?, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        let now = counter.values()
        let current = try #require(now.last, "no values in \(counter.fooPath)", sourceLocation: sourceLocation)
        let later = await counter.waitForValue(above: current + 2)
        #expect((later.last ?? -1) > current + 2, "/foo stopped growing at \(later.last ?? -1)", sourceLocation: sourceLocation)
        #expect(CounterValues.breakInSequence(later) == nil,
                "\(CounterValues.breakInSequence(later) ?? "")", sourceLocation: sourceLocation)
        if let lastBeforeDump {
            #expect(CounterValues.successor(of: lastBeforeDump, in: later) == lastBeforeDump + 1,
                    "after \(lastBeforeDump) comes \(CounterValues.successor(of: lastBeforeDump, in: later).map(String.init) ?? "nothing")",
                    sourceLocation: sourceLocation)
        }
        let seen = counter.values(seenBy: pid)
        #expect(!seen.isEmpty && Array(later.prefix(seen.count)) == Array(seen.prefix(later.count)),
                "/proc/\(pid)/root/foo differs from \(counter.fooPath)", sourceLocation: sourceLocation)
    }

    /// The image dir holds a complete external checkpoint (kept, never deleted).
    static func imagesKept(_ directory: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for required in ["dump.log", "stats-dump", "inventory.img", "crplan-facts.json"] {
            #expect(names.contains(required), "\(directory) lacks \(required): \(names.sorted())", sourceLocation: sourceLocation)
        }
        #expect(names.filter { $0.hasSuffix(".img") }.count > 5, "few images in \(directory): \(names.sorted())",
                sourceLocation: sourceLocation)
        let log = Proc.read(directory + "/dump.log") ?? ""
        #expect(log.contains("Dumping finished successfully"), sourceLocation: sourceLocation)
    }

    /// After a dump: Docker reports the container exited, no copy of the
    /// workload runs, and `/foo` is still; returns its last value.
    static func dumpedAndStill(_ scenario: Scenario, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> Int {
        let counter = scenario.counter
        let exited = try await eventually { try await scenario.daemon.status(counter.id) == "exited" }
        #expect(exited, "Docker does not report the dumped container exited", sourceLocation: sourceLocation)
        #expect(counter.workloadCopies().isEmpty, "the workload still runs: \(counter.workloadCopies())", sourceLocation: sourceLocation)
        let still = try #require(await counter.valuesOnceStill(), "/foo keeps changing after the dump", sourceLocation: sourceLocation)
        #expect(CounterValues.breakInSequence(still) == nil, sourceLocation: sourceLocation)
        return try #require(still.last, sourceLocation: sourceLocation)
    }
}
