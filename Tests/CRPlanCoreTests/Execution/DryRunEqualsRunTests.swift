import Foundation
import Testing
@testable import CRPlanCore

/// The promise of `crplan plan`: what it prints (JSON, bound to the
/// container's facts as `--inspect` binds them) is, element for element and
/// in order, every process `apply` asks the host to spawn. Checked for every
/// example plan and for every storage driver × operation × mode, on the
/// recording test double with facts shaped like the real driver's.
@Suite struct DryRunEqualsRunTests {
    // migrate-local.yaml needs a target engine: `migrateExample` below. migrate-ssh.yaml's
    // printed target lines are the RemoteHost's argv (MigrateSSHPlanningTests).
    // checkpoint-archive.yaml captures file changes on the migrate fakes: `checkpointArchiveExample` below;
    // restore-archive.yaml opens an archive: `restoreArchive` below.
    static let examples = ExamplePlansTests.expected.keys.sorted().filter {
        !$0.hasPrefix("migrate-") && $0 != "checkpoint-archive.yaml" && $0 != "restore-archive.yaml"
    }

    struct Combination: CustomTestStringConvertible, Sendable {
        var driver: String
        var operation: Plan.Operation
        var mode: Plan.Mode
        var testDescription: String { "\(mode.rawValue) \(operation.rawValue) on \(driver)" }
    }

    static let combinations: [Combination] = ["overlay2", "overlay", "vfs", "aufs"].flatMap { driver in
        // Migrate needs a target engine: `migrate(copy:)` and `migrateExample` below.
        Plan.Operation.allCases.filter { $0 != .migrate }.flatMap { operation in
            Plan.Mode.allCases.map { Combination(driver: driver, operation: operation, mode: $0) }
        }
    }

    @Test(arguments: examples)
    func examplePlan(_ name: String) async throws {
        let text = try String(contentsOf: ExamplePlansTests.folder.appending(path: name), encoding: .utf8)
        let graph = Scenario.compile(text)
        let driver = graph.storageDriver == .auto ? "overlay2" : graph.storageDriver.rawValue
        try await expectDryRunEqualsRun(graph, driver: driver)
    }

    @Test(arguments: combinations)
    func everyDriverOperationAndMode(_ combination: Combination) async throws {
        let plan = """
            version: 1
            name: mirror
            container: web
            operation: \(combination.operation.rawValue)
            mode: \(combination.mode.rawValue)
            storage:
              driver: \(combination.mode == .native ? "auto" : combination.driver)
            restore:
              pidfile: /run/crplan/mirror.pid

            """
        try await expectDryRunEqualsRun(Scenario.compile(plan), driver: combination.driver)
    }

    @Test(arguments: [Plan.Operation.checkpoint, .roundtrip])
    func preDumps(_ operation: Plan.Operation) async throws {
        let plan = """
            version: 1
            name: mirror
            container: web
            operation: \(operation.rawValue)
            storage:
              driver: overlay2
            criu:
              preDump: {iterations: 3}

            """
        let graph = Scenario.compile(plan)
        #expect(graph.step(.preDump3) != nil)
        try await expectDryRunEqualsRun(graph, driver: "overlay2")
    }

    /// Runs `graph` on a fake host whose container has `driver`'s facts, and
    /// compares the argv it spawned with the bound JSON dry run.
    private func expectDryRunEqualsRun(_ graph: StepGraph, driver: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let mirror = MirrorWorld(graph: graph, driver: driver)
        let host = FakeHost(mirror.world)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")", sourceLocation: sourceLocation)

        let json = try DryRunRenderer(facts: mirror.dryRunFacts).render(graph, as: .json)
        let printed = try JSONDecoder().decode(StepGraph.self, from: Data(json.utf8))
        var expected: [(argv: [String], polled: Bool)] = []
        for step in try printed.executionOrder() {
            for command in step.commands {
                let argv = try #require(command.literalArgv, "the bound dry run left `\(command.arguments)` symbolic")
                expected.append((argv, command.pollInterval != nil))
            }
        }
        let ran = await host.world.commandsRun
        #expect(Self.matches(ran: ran, expected: expected), """
            the run spawned
            \(ran.map { ShellQuoting.line($0) }.joined(separator: "\n"))
            but the dry run printed
            \(expected.map { ShellQuoting.line($0.argv) + ($0.polled ? "   (polled)" : "") }.joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
    }

    /// True when `ran` is `expected` in order, a polled command standing for one or more runs of it.
    static func matches(ran: [[String]], expected: [(argv: [String], polled: Bool)]) -> Bool {
        var index = 0
        for item in expected {
            guard index < ran.count, ran[index] == item.argv else { return false }
            index += 1
            if item.polled {
                while index < ran.count, ran[index] == item.argv { index += 1 }
            }
        }
        return index == ran.count
    }

    @Test func theMatcherCanFail() {
        let inspect = ["docker", "inspect", "x"]
        #expect(Self.matches(ran: [inspect, inspect, ["a"]], expected: [(inspect, true), (["a"], false)]))
        #expect(!Self.matches(ran: [inspect, inspect, ["a"]], expected: [(inspect, false), (["a"], false)]))
        #expect(!Self.matches(ran: [["a"]], expected: [(["a"], false), (["b"], false)]))
        #expect(!Self.matches(ran: [["a"], ["extra"]], expected: [(["a"], false)]))
    }
}

/// A fake world for one graph: a container with `driver`'s facts (running
/// before a checkpoint, exited after one for a restore-only plan, with the
/// checkpoint the earlier run left), Docker's root mount where the driver
/// has one, and every folder the plan's files go to.
struct MirrorWorld {
    var world: FakeWorld
    /// The facts `crplan plan --inspect` would bind: the saved ones for an external restore.
    var dryRunFacts: ContainerFacts

    init(graph: StepGraph, driver: String) {
        let reference = graph.container.value
        let isHexPrefix = reference.allSatisfy(\.isHexDigit) && reference.count >= 12
        let id = isHexPrefix ? reference + String(repeating: "0", count: 64 - reference.count) : String(repeating: "cd", count: 32)
        let name = isHexPrefix ? "mirror" : reference
        let home = "/var/lib/docker"
        let running = graph.operation != .restore
        var facts = ContainerFacts(
            id: id, name: name, pid: running ? 4242 : 0, running: running, status: running ? "running" : "exited",
            driver: driver, graphDriverData: [:],
            hostnamePath: "\(home)/containers/\(id)/hostname", hostsPath: "\(home)/containers/\(id)/hosts",
            resolvConfPath: "\(home)/containers/\(id)/resolv.conf", rootfs: "",
            cgroupMounts: [CgroupMount(path: "/sys/fs/cgroup/cpu", hostPath: "/sys/fs/cgroup/cpu/docker/" + id)],
            dockerHome: home, initCommandLine: Scenario.command
        )
        var world = FakeWorld()
        var dockerMount: MountEntry?
        switch driver {
        case "overlay", "overlay2":
            let layer = "\(home)/\(driver)/f00d"
            facts.graphDriverData = [
                "LowerDir": "\(home)/\(driver)/f00d-init/diff:\(home)/\(driver)/base/diff",
                "UpperDir": layer + "/diff", "WorkDir": layer + "/work", "MergedDir": layer + "/merged",
            ]
            facts.rootfs = layer + "/merged"
            dockerMount = MountEntry(mountPoint: facts.rootfs, fileSystemType: "overlay", source: "overlay")
            world.directories[layer] = 0o700
        case "aufs":
            facts.rootfs = "\(home)/aufs/mnt/\(id)"
            facts.aufsBranches = ["\(home)/aufs/diff/\(id)=rw", "\(home)/aufs/diff/\(id)-init=ro+wh", "\(home)/aufs/diff/base=ro+wh"]
            dockerMount = MountEntry(mountPoint: facts.rootfs, fileSystemType: "aufs", source: "none")
            world.directories["\(home)/aufs/mnt"] = 0o755
        default:
            facts.rootfs = "\(home)/vfs/dir/5d2c1f"
            world.directories[facts.rootfs] = 0o755
        }
        world.containers[id] = .init(facts: facts)
        world.handlers = [
            Scenario.criuDump(), Scenario.criuRestore(), Scenario.mount(), Scenario.makeDirectory(),
            Scenario.dockerCheckpointCreate(), Scenario.dockerStartCheckpoint(), Scenario.criuCheck(), Scenario.criuPreDump(),
        ]
        if running {
            world.processes[4242] = RunningProcess(pid: 4242, parentPID: 4200, commandLine: Scenario.command)
            if let dockerMount {
                world.directories[dockerMount.mountPoint] = 0o755
                world.mounts.append(dockerMount)
            }
        }
        var saved = facts
        saved.pid = 4242
        saved.running = false
        saved.status = "exited"
        dryRunFacts = facts
        let bound = try? graph.bound(to: facts)
        for step in bound?.steps ?? [] {
            if let pidfile = step.paths.pidfile?.literalValue { world.makeParent(of: pidfile) }
            if step.kind == .loadCheckpoint, let directory = step.paths.imageDir?.literalValue {
                // The checkpoint an earlier run left, with the facts it saved.
                world.write(directory + "/inventory.img", "inventory")
                world.write(directory + "/stats-dump", "stats")
                world.write(directory + "/dump.log", "(00.020) Dumping finished successfully\n")
                world.write(directory + "/crplan-facts.json", String(decoding: (try? CheckpointImages.encodeFacts(saved)) ?? [], as: UTF8.self))
                dryRunFacts = saved
            }
        }
        self.world = world
    }
}

extension FakeWorld {
    /// Creates the folder `path` goes in (and its parents).
    mutating func makeParent(of path: String) {
        var current = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        while !current.isEmpty, directories[current] == nil {
            directories[current] = 0o755
            current = String(current[..<(current.lastIndex(of: "/") ?? current.startIndex)])
        }
    }
}

extension DryRunEqualsRunTests {
    /// `operation: migrate`: the bound dry run (source facts, the target container, no deletion) is what ran, on both engines.
    @Test(arguments: [false, true])
    func migrate(copy: Bool) async throws {
        try await expectMigrateDryRunEqualsRun(Scenario.compile(ExecutorMigrateTests.plan(copy: copy)), name: Scenario.name)
    }

    /// Over ssh: the target's commands are spawned as the ssh argv that
    /// `SSHTarget.argv(running:)` builds from the printed graph's `targetSSH`
    /// (the function RemoteHost runs and the text dry run prints with).
    @Test func migrateOverSSH() async throws {
        let ssh = """
              ssh:
                destination: root@127.0.0.1
                port: 2222
                identityFile: /var/lib/crplan-e2e/ssh/id_ed25519
                knownHostsFile: /var/lib/crplan-e2e/ssh/known_hosts
            restore:
            """
        let plan = ExecutorMigrateTests.plan().replacingOccurrences(of: "restore:", with: ssh)
        try await expectMigrateDryRunEqualsRun(Scenario.compile(plan), name: Scenario.name, overSSH: true)
    }

    /// With `archive`: write-archive's commands (the `tar | zstd` pipeline included) are printed as they run.
    @Test func migrateWithArchive() async throws {
        let plan = ExecutorMigrateTests.plan().replacingOccurrences(of: "restore:", with: "archive: /kept/web.tar.zst\nrestore:")
        let graph = Scenario.compile(plan)
        #expect(graph.step(.writeArchive) != nil)
        try await expectMigrateDryRunEqualsRun(graph, name: Scenario.name, pipelines: 2)
    }

    /// `operation: checkpoint` with `archive`: the source half of a migrate
    /// (staging dir, capture-changes, the `tar | zstd` pipeline) is printed as it runs.
    @Test(arguments: [false, true])
    func checkpointWithArchive(copy: Bool) async throws {
        let graph = Scenario.compile(ExecutorCheckpointArchiveTests.plan(copy: copy))
        #expect(graph.step(.writeArchive) != nil)
        try await expectMigrateDryRunEqualsRun(graph, name: Scenario.name, pipelines: 1)
    }

    @Test func checkpointArchiveExample() async throws {
        let text = try String(contentsOf: ExamplePlansTests.folder.appending(path: "checkpoint-archive.yaml"), encoding: .utf8)
        try await expectMigrateDryRunEqualsRun(Scenario.compile(text), name: "counter", pipelines: 1, folders: ["/var/lib/crplan/archives"])
    }

    @Test func migrateExample() async throws {
        let text = try String(contentsOf: ExamplePlansTests.folder.appending(path: "migrate-local.yaml"), encoding: .utf8)
        try await expectMigrateDryRunEqualsRun(Scenario.compile(text), name: "counter")
    }

    /// Runs a migrate graph on the fake source and target engines and compares the argv spawned (pipeline stages included) with the bound dry run.
    private func expectMigrateDryRunEqualsRun(
        _ graph: StepGraph, name: String, overSSH: Bool = false, pipelines: Int? = nil, folders: [String] = []
    ) async throws {
        var world = ExecutorMigrateTests.world()
        for folder in folders { world.directories[folder] = 0o755 }
        world.containers[Scenario.containerID]?.facts.name = name
        world.answersSSHAsTheRemoteMachine = overSSH
        let host = FakeHost(world)
        #expect((graph.targetSSH != nil) == overSSH)
        let executor = Executor(
            hosts: EngineHosts(source: host, target: graph.targetHost(over: host)),
            options: ExecutorOptions(stateDirectory: Scenario.stateDir, crplanVersion: "test"))
        let report = try await executor.apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")

        // Bound with the facts the run journaled (its run id names the staging dir).
        var finished = MigrationFake.finishedFacts(renamed(Scenario.facts(), name))
        finished.runID = report.runID
        let json = try DryRunRenderer(facts: finished).render(graph, as: .json)
        let printed = try JSONDecoder().decode(StepGraph.self, from: Data(json.utf8))
        var expected: [(argv: [String], polled: Bool)] = []
        for step in try printed.executionOrder() {
            for command in step.commands {
                let argv = try #require(command.literalArgv, "the bound dry run left `\(command.arguments)` symbolic")
                if command.side == .target, let ssh = printed.targetSSH {
                    expected.append((try ssh.argv(running: argv), command.pollInterval != nil))
                } else {
                    expected.append((argv, command.pollInterval != nil))
                }
            }
        }
        let ran = await host.world.commandsRun
        #expect(Self.matches(ran: ran, expected: expected), """
            the run spawned
            \(ran.map { ShellQuoting.line($0) }.joined(separator: "\n"))
            but the dry run printed
            \(expected.map { ShellQuoting.line($0.argv) }.joined(separator: "\n"))
            """)
        #expect(await host.world.pipelinesRun.count == pipelines ?? (overSSH ? 3 : 1), "docker save | docker load runs as one pipeline (over ssh also send-staging and verify-staging, with an archive also tar | zstd)")
        if overSSH {
            #expect(ran.contains { $0.first == "ssh" }, "nothing ran over ssh")
        }
    }

    /// Restore from an archive: open-archive's commands (its two `zstd | head | tar` pipelines included) and the
    /// target half, bound with the facts the run journaled and its run values (id, unpack bound), are what ran.
    @Test(arguments: ["plan", "restore-archive.yaml"])
    func restoreArchive(_ source: String) async throws {
        let text = source == "plan"
            ? ExecutorRestoreArchiveTests.plan()
            : try String(contentsOf: ExamplePlansTests.folder.appending(path: source), encoding: .utf8)
        let graph = Scenario.compile(text)
        let archive = try #require(graph.step(.openArchive)?.paths.archive?.literalValue)
        let host = FakeHost(ExecutorRestoreArchiveTests.world(members: try ExecutorRestoreArchiveTests.members(), archive: archive))
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")

        var finished = MigrationFake.finishedFacts(Scenario.facts())
        finished.runID = report.runID
        finished.recreatedPaths = []
        let bound = ArchiveOpening.unpackBound(archiveSize: Int64(Array("zstd".utf8).count))
        let json = try DryRunRenderer(facts: finished, run: RunValues(runID: report.runID, archiveUnpackBound: bound)).render(graph, as: .json)
        let printed = try JSONDecoder().decode(StepGraph.self, from: Data(json.utf8))
        var expected: [(argv: [String], polled: Bool)] = []
        for step in try printed.executionOrder() {
            for command in step.commands {
                let argv = try #require(command.literalArgv, "the bound dry run left `\(command.arguments)` symbolic")
                expected.append((argv, command.pollInterval != nil))
            }
        }
        let ran = await host.world.commandsRun
        #expect(Self.matches(ran: ran, expected: expected), """
            the run spawned
            \(ran.map { ShellQuoting.line($0) }.joined(separator: "\n"))
            but the dry run printed
            \(expected.map { ShellQuoting.line($0.argv) }.joined(separator: "\n"))
            """)
        #expect(await host.world.pipelinesRun.count == 2, "zstd | head | tar --list, then zstd | head | tar --extract")
    }

    private func renamed(_ facts: ContainerFacts, _ name: String) -> ContainerFacts {
        var result = facts
        result.name = name
        return result
    }
}
