import CRPlanCore
import Testing

/// `criu.preDump`: a printed `criu check` before anything is frozen, then
/// `pre-dump-1` … `pre-dump-N` into numbered folders of the image dir, each
/// naming the one before relative to its own `-D`, and the final dump
/// naming the last one relative to the image dir (CRIU's rule for
/// `--prev-images-dir`).
@Suite struct PreDumpPlanningTests {
    static let imageDir = "/var/lib/docker/criu_img/\(PlanningFixtures.overlayID)"

    private func graph(iterations: Int, operation: Plan.Operation = .roundtrip) throws -> StepGraph {
        var plan = try PlanningFixtures.counterPlan(operation: operation, driver: .overlay2)
        plan.criu.preDump = CRIUSettings.PreDump(iterations: iterations)
        return try Planner(environment: [:]).compile(plan)
    }

    /// The options every dump and pre-dump of the overlay2 fixture passes after `-D`.
    private var sharedOptions: [String] {
        [
            "--root", "/var/lib/docker/overlay2/abc/merged",
            "--ext-mount-map", "/etc/resolv.conf:/etc/resolv.conf", "--ext-mount-map", "/etc/hosts:/etc/hosts",
            "--ext-mount-map", "/etc/hostname:/etc/hostname",
            "--ext-mount-map", "/sys/fs/cgroup/cpu:/sys/fs/cgroup/cpu",
            "--ext-mount-map", "/sys/fs/cgroup/memory:/sys/fs/cgroup/memory",
            "--manage-cgroups", "--evasive-devices",
        ]
    }

    @Test func stepsComeBetweenInspectAndDumpEachAfterTheOneBefore() throws {
        let graph = try graph(iterations: 3)
        #expect(graph.steps.map(\.id) == [
            "inspect", "check-memory-tracking", "pre-dump-1", "pre-dump-2", "pre-dump-3", "dump", "verify-dump-log",
            "wait-container-exited", "rebuild-rootfs", "restore", "write-pidfile",
        ])
        for (previous, step) in zip(graph.steps, graph.steps.dropFirst()) {
            #expect(step.dependsOn == [previous.kind], "\(step.id) must depend on \(previous.id)")
        }
        let checkpoint = try self.graph(iterations: 1, operation: .checkpoint)
        #expect(checkpoint.steps.map(\.id) == ["inspect", "check-memory-tracking", "pre-dump-1", "dump", "verify-dump-log"])
    }

    @Test func theArgvChain() throws {
        let graph = try graph(iterations: 3)
        let facts = PlanningFixtures.overlay2Facts
        #expect(try graph.argv(.checkMemoryTracking, facts: facts) == [["criu", "check", "--feature", "mem_dirty_track"]])
        let head = ["criu", "pre-dump", "-o", "pre-dump.log", "-v4", "-t", "4242", "-D"]
        #expect(try graph.argv(.preDump1, facts: facts) == [head + ["\(Self.imageDir)/pre-dump-1"] + sharedOptions + ["--track-mem"]])
        #expect(try graph.argv(.preDump2, facts: facts) == [
            head + ["\(Self.imageDir)/pre-dump-2"] + sharedOptions + ["--prev-images-dir", "../pre-dump-1", "--track-mem"],
        ])
        #expect(try graph.argv(.preDump3, facts: facts) == [
            head + ["\(Self.imageDir)/pre-dump-3"] + sharedOptions + ["--prev-images-dir", "../pre-dump-2", "--track-mem"],
        ])
        #expect(try graph.argv(.dump, facts: facts) == [
            ["criu", "dump", "-o", "dump.log", "-v4", "-t", "4242", "-D", Self.imageDir] + sharedOptions
                + ["--prev-images-dir", "pre-dump-3", "--track-mem"],
        ])
        // Each pre-dump runs in its own folder, so CRIU's -o lands there.
        for iteration in 1...3 {
            let step = try #require(StepKind.preDump(iteration).flatMap { graph.step($0) }).bound(to: facts)
            let folder = "\(Self.imageDir)/pre-dump-\(iteration)"
            #expect(step.commands.map { $0.workingDirectory?.literalValue } == [folder])
            #expect(step.paths.log?.literalValue == folder + "/pre-dump.log")
            #expect(step.produces.map(\.literalValue) == [folder, folder + "/pre-dump.log"])
            guard case .logContains(let log, let text)? = step.checks.first, step.checks.count == 1 else {
                Issue.record("pre-dump-\(iteration) must check its log, has \(step.checks)")
                continue
            }
            #expect(log.literalValue == folder + "/pre-dump.log")
            #expect(text == "Pre-dumping finished successfully")
        }
    }

    @Test func theDryRunIsPinned() throws {
        let output = try DryRunRenderer(facts: PlanningFixtures.overlay2Facts).render(graph(iterations: 2), as: .text)
        try GoldenFile.check(output, named: "counter-overlay2-predump.bound.text")
    }

    @Test func preDumpsAreNeverUndoneAndPassNoPointOfNoReturn() throws {
        let graph = try graph(iterations: 2)
        for kind in [StepKind.checkMemoryTracking, .preDump1, .preDump2] {
            let step = try #require(graph.step(kind))
            #expect(step.undo == .nothing)
            #expect(!step.pointOfNoReturn)
        }
        #expect(graph.step(.dump)?.pointOfNoReturn == true)
    }

    @Test func withoutPreDumpNothingChanges() throws {
        let graph = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan(driver: .overlay2))
        #expect(graph.step(.checkMemoryTracking) == nil)
        let dump = try #require(try graph.argv(.dump, facts: PlanningFixtures.overlay2Facts).first)
        #expect(!dump.contains("--prev-images-dir"))
        #expect(!dump.contains("--track-mem"))
    }

    @Test func theNumberedKindsCoverTheLintersBound() {
        #expect(StepKind.preDumps.count == CRIUSettings.PreDump.maximumIterations)
        #expect(StepKind.preDumps.map(\.rawValue) == (1...10).map { "pre-dump-\($0)" })
        #expect(StepKind.preDump(0) == nil)
        #expect(StepKind.preDump(11) == nil)
        #expect(StepKind.preDump10.preDumpIteration == 10)
        #expect(StepKind.dump.preDumpIteration == nil)
    }
}
