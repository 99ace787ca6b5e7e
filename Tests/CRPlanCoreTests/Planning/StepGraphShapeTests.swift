import CRPlanCore
import Testing

/// Each operation × mode compiles to the expected steps, in order, each
/// depending on the one before, with the undo semantics the executor relies on.
@Suite struct StepGraphShapeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var operation: Plan.Operation
        var mode: Plan.Mode
        var steps: [String]
        var testDescription: String { "\(mode.rawValue) \(operation.rawValue)" }
    }

    static let cases: [Case] = [
        Case(operation: .roundtrip, mode: .external, steps: [
            "inspect", "dump", "verify-dump-log", "wait-container-exited", "rebuild-rootfs", "restore", "write-pidfile",
        ]),
        Case(operation: .checkpoint, mode: .external, steps: ["inspect", "dump", "verify-dump-log"]),
        Case(operation: .restore, mode: .external, steps: [
            "inspect", "load-checkpoint", "rebuild-rootfs", "restore", "write-pidfile",
        ]),
        Case(operation: .roundtrip, mode: .native, steps: [
            "inspect", "checkpoint-create", "wait-container-exited", "start-from-checkpoint", "write-pidfile",
        ]),
        Case(operation: .checkpoint, mode: .native, steps: ["inspect", "checkpoint-create"]),
        Case(operation: .restore, mode: .native, steps: ["inspect", "start-from-checkpoint", "write-pidfile"]),
    ]

    @Test(arguments: cases)
    func stepsAndDependencies(_ expected: Case) throws {
        let plan = try PlanningFixtures.counterPlan(operation: expected.operation, mode: expected.mode)
        let graph = try Planner(environment: [:]).compile(plan)
        #expect(graph.steps.map(\.id) == expected.steps)
        #expect(graph.steps.first?.dependsOn == [])
        for (previous, step) in zip(graph.steps, graph.steps.dropFirst()) {
            #expect(step.dependsOn == [previous.kind], "\(step.id) must depend on \(previous.id)")
        }
        #expect(graph.operation == expected.operation)
        #expect(graph.mode == expected.mode)
        #expect(graph.planName == plan.name)
    }

    @Test(arguments: cases)
    func undoSemantics(_ expected: Case) throws {
        let plan = try PlanningFixtures.counterPlan(operation: expected.operation, mode: expected.mode)
        let graph = try Planner(environment: [:]).compile(plan)
        for step in graph.steps {
            switch step.kind {
            case .dump, .checkpointCreate:
                #expect(step.undo == .irreversible("the checkpoint images are the only copy of the workload; roll forward with resume"))
            case .restore, .startFromCheckpoint:
                #expect(step.undo == .irreversible("the restored workload is live; never killed by rollback"))
            case .rebuildRootfs:
                #expect(step.undo == .unmount("${container.rootfs}"))
            case .writePidfile:
                #expect(step.undo == .removeFile("/var/lib/docker/criu_img/${container.id}/restore.pid"))
            case .inspect, .loadCheckpoint, .verifyDumpLog, .waitContainerExited, .checkMemoryTracking, .preDump1, .preDump2, .preDump3,
                 .preDump4, .preDump5, .preDump6, .preDump7, .preDump8, .preDump9, .preDump10:
                #expect(step.undo == .nothing)
            case .openArchive, .checkTarget, .checkArchive, .transferImage, .createTarget, .captureChanges, .writeArchive, .sendStaging, .verifyStaging, .applyChanges,
                 .copyCheckpoint, .startTarget,
                 .verifyMigration, .finalizeSource:
                Issue.record("a \(expected.operation.rawValue) plan without archive has migrate step \(step.id)")
            }
        }
    }

    @Test func inspectExpectsARunningContainerExceptForRestore() throws {
        // A migrate plan's inspect is pinned by MigratePlanningTests.
        for operation in Plan.Operation.allCases where operation != .migrate {
            let graph = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan(operation: operation))
            let inspect = try #require(graph.step(.inspect))
            #expect(inspect.checks == [
                operation == .restore ? .containerNotRunning : .containerRunning, .storageDriver(["aufs", "overlay", "overlay2", "vfs"]),
            ])
            #expect(inspect.commands.map(\.output) == [.containerInspect])
            #expect(try inspect.commands.map { try $0.bind(PlanningFixtures.overlay2Facts) } == [
                ["docker", "inspect", "--type", "container", "--", "counter"],
            ])
            // Only a run that dumps saves the facts a later restore-only run loads.
            let facts: Template = "/var/lib/docker/criu_img/${container.id}/crplan-facts.json"
            #expect(inspect.produces == (operation == .restore ? [] : [facts]))
        }
    }

    @Test func restoreOnlyLoadsTheSavedFacts() throws {
        let graph = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan(operation: .restore))
        let load = try #require(graph.step(.loadCheckpoint))
        let facts: Template = "/var/lib/docker/criu_img/${container.id}/crplan-facts.json"
        let log: Template = "/var/lib/docker/criu_img/${container.id}/dump.log"
        #expect(load.inputs == ["/var/lib/docker/criu_img/${container.id}"])
        #expect(load.paths == StepPaths(
            imageDir: "/var/lib/docker/criu_img/${container.id}", factsFile: facts, dockerHome: "/var/lib/docker", log: log
        ))
        #expect(load.checks == [.savedFactsMatchContainer(file: facts), .logContains(log: log, text: "Dumping finished successfully")])
        #expect(load.commands.isEmpty)
    }

    @Test func verificationAndWaitingAreChecks() throws {
        let graph = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan())
        let verify = try #require(graph.step(.verifyDumpLog))
        #expect(verify.checks == [.logContains(log: "/var/lib/docker/criu_img/${container.id}/dump.log", text: "Dumping finished successfully")])
        let wait = try #require(graph.step(.waitContainerExited))
        #expect(wait.checks == [.containerNotRunning, .notMountPoint(path: "${container.rootfs}")])
        #expect(try wait.commands.map { try $0.bind(PlanningFixtures.overlay2Facts) } == [
            ["docker", "inspect", "--type", "container", "--", PlanningFixtures.overlayID],
        ])
        let restore = try #require(graph.step(.restore))
        #expect(restore.checks == [.logContains(log: "/var/lib/docker/criu_img/${container.id}/restore.log", text: "Restore finished successfully")])
    }

    @Test func timeoutsGoToDumpAndRestore() throws {
        var plan = try PlanningFixtures.counterPlan()
        plan.timeouts = Timeouts(dump: PlanDuration(parsing: "5m"), restore: PlanDuration(parsing: "90s"))
        let graph = try Planner(environment: [:]).compile(plan)
        #expect(graph.step(.dump)?.timeout == PlanDuration(milliseconds: 300_000))
        #expect(graph.step(.restore)?.timeout == PlanDuration(milliseconds: 90_000))
        // Every other step gets the default, wait-container-exited its own minute.
        #expect(graph.steps.filter { $0.timeout == Step.defaultTimeout }.map(\.id) == [
            "inspect", "verify-dump-log", "rebuild-rootfs", "write-pidfile",
        ])
        #expect(graph.step(.waitContainerExited)?.timeout == PlanDuration(milliseconds: 60_000))

        plan.mode = .native
        let native = try Planner(environment: [:]).compile(plan)
        #expect(native.step(.checkpointCreate)?.timeout == PlanDuration(milliseconds: 300_000))
        #expect(native.step(.startFromCheckpoint)?.timeout == PlanDuration(milliseconds: 90_000))
    }

    @Test func optionalCRIUFlagsAndExtraArgsFollowTheWikiFlags() throws {
        var plan = try PlanningFixtures.counterPlan(operation: .checkpoint)
        plan.criu = CRIUSettings(
            logLevel: 2, manageCgroups: false, leaveRunning: true, tcpEstablished: true,
            shellJob: true, fileLocks: true, extraArgs: ["--ghost-limit=10M"]
        )
        plan.extMounts = [ExternalMount(path: "/data", dump: "data-volume", restore: "/srv/data")]
        let graph = try Planner(environment: [:]).compile(plan)
        let dump = try graph.argv(.dump, facts: PlanningFixtures.overlay2Facts)
        #expect(dump == [[
            "criu", "dump", "-o", "dump.log", "-v2", "-t", "4242",
            "-D", "/var/lib/docker/criu_img/\(PlanningFixtures.overlayID)",
            "--root", "/var/lib/docker/overlay2/abc/merged",
            "--ext-mount-map", "/data:data-volume",
            "--ext-mount-map", "/sys/fs/cgroup/cpu:/sys/fs/cgroup/cpu",
            "--ext-mount-map", "/sys/fs/cgroup/memory:/sys/fs/cgroup/memory",
            "--evasive-devices", "--leave-running", "--tcp-established", "--shell-job", "--file-locks",
            "--ghost-limit=10M",
        ]])
        #expect(graph.step(.dump)?.summary.contains("leaving it running") == true)
    }

    @Test func restoreFlagsWithoutDetachAndWithOptions() throws {
        var plan = try PlanningFixtures.counterPlan(operation: .restore)
        plan.criu = CRIUSettings(evasiveDevices: false, tcpEstablished: true, extraArgs: ["--tcp-close"])
        plan.restore.detach = false
        plan.extMounts = [ExternalMount(path: "/data", dump: "data-volume", restore: "/srv/data")]
        let graph = try Planner(environment: [:]).compile(plan)
        let images = "/var/lib/docker/criu_img/\(PlanningFixtures.overlayID)"
        #expect(try graph.argv(.restore, facts: PlanningFixtures.overlay2Facts) == [[
            "criu", "restore", "-o", "restore.log", "-v4",
            "-D", images, "--root", "/var/lib/docker/overlay2/abc/merged",
            "--ext-mount-map", "data-volume:/srv/data",
            "--ext-mount-map", "/sys/fs/cgroup/cpu:/sys/fs/cgroup/cpu/docker/" + PlanningFixtures.overlayID,
            "--ext-mount-map", "/sys/fs/cgroup/memory:/sys/fs/cgroup/memory/docker/" + PlanningFixtures.overlayID,
            "--manage-cgroups", "--tcp-established",
            "--pidfile", images + "/criu-restore.pid",
            "--tcp-close",
        ]])
    }

    @Test func nativeCommandsUseTheResolvedIDAndTheCheckpointName() throws {
        var plan = try PlanningFixtures.counterPlan(mode: .native)
        plan.docker.host = "unix:///run/crplan/docker.sock"
        let facts = PlanningFixtures.overlay2Facts
        let id = PlanningFixtures.overlayID
        let dockerH = ["docker", "-H", "unix:///run/crplan/docker.sock"]

        let byName = try Planner(environment: [:]).compile(plan)
        #expect(try byName.argv(.inspect, facts: facts) == [dockerH + ["inspect", "--type", "container", "--", "counter"]])
        let inspectByID = dockerH + ["inspect", "--type", "container", "--", id]
        // A roundtrip's checkpoint-create asks Docker nothing more: wait-container-exited polls right after it.
        #expect(try byName.argv(.checkpointCreate, facts: facts) == [dockerH + ["checkpoint", "create", id, "counter-roundtrip"]])
        #expect(try byName.argv(.startFromCheckpoint, facts: facts) == [dockerH + ["start", "--checkpoint", "counter-roundtrip", id], inspectByID])
        #expect(try byName.argv(.waitContainerExited, facts: facts) == [inspectByID])
        #expect(try byName.argv(.writePidfile, facts: facts) == [])
        #expect(byName.step(.startFromCheckpoint)?.checks == [.containerRunning])
        #expect(byName.step(.waitContainerExited)?.checks == [.containerNotRunning])

        plan.restore.checkpoint = "before-upgrade"
        let named = try Planner(environment: [:]).compile(plan)
        #expect(try named.argv(.checkpointCreate, facts: facts).first == dockerH + ["checkpoint", "create", id, "before-upgrade"])
        #expect(try named.argv(.startFromCheckpoint, facts: facts).first == dockerH + ["start", "--checkpoint", "before-upgrade", id])
    }

    @Test func nativeCheckpointCanLeaveTheContainerRunning() throws {
        var plan = try PlanningFixtures.counterPlan(operation: .checkpoint, mode: .native)
        plan.criu.leaveRunning = true
        let graph = try Planner(environment: [:]).compile(plan)
        #expect(try graph.argv(.checkpointCreate, facts: PlanningFixtures.overlay2Facts) == [
            ["docker", "checkpoint", "create", "--leave-running", PlanningFixtures.overlayID, "counter-checkpoint"],
            ["docker", "inspect", "--type", "container", "--", PlanningFixtures.overlayID],
        ])
        // Leaving it running: Docker must still report it running, and nothing is a point of no return.
        #expect(graph.step(.checkpointCreate)?.checks == [.containerRunning])
        #expect(graph.step(.checkpointCreate)?.pointOfNoReturn == false)
    }
}
