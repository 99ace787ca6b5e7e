import Foundation
@testable import CRPlanCore

/// A running overlay2 container "web", its plan and hand-built step graphs,
/// and a fake world whose criu, mount and docker commands behave like the
/// real ones in the ways the executor depends on.
enum Scenario {
    static let containerID = String(repeating: "ab", count: 32)
    static let name = "web"
    static let initPID = 4242
    static let command = ["/bin/sh", "-c", "i=0; while true; do echo $i; i=$((i+1)); sleep 1; done"]
    static let layer = "/var/lib/docker/overlay2/f00d"
    static let rootfs = layer + "/merged"
    static let imageDir = "/images/" + containerID
    static let stateDir = "/state"
    static let pidfile = "/run/crplan/web.pid"
    static let criuPidfile = imageDir + "/criu-restore.pid"
    static let planName = "web"
    static var journal: String { stateDir + "/runs/" + planName + "/journal.jsonl" }

    /// The host cgroup directory of the container's one cgroup v1 mount.
    static let cgroupDirectory = "/sys/fs/cgroup/cpu/docker/" + containerID

    static func facts(running: Bool = true) -> ContainerFacts {
        ContainerFacts(
            id: containerID, name: name, pid: running ? initPID : 0, running: running, status: running ? "running" : "exited",
            driver: "overlay2",
            graphDriverData: [
                "LowerDir": "/var/lib/docker/overlay2/f00d-init/diff:/var/lib/docker/overlay2/base/diff",
                "UpperDir": layer + "/diff", "WorkDir": layer + "/work", "MergedDir": rootfs,
            ],
            hostnamePath: "/var/lib/docker/containers/\(containerID)/hostname",
            hostsPath: "/var/lib/docker/containers/\(containerID)/hosts",
            resolvConfPath: "/var/lib/docker/containers/\(containerID)/resolv.conf",
            rootfs: rootfs, cgroupMounts: [CgroupMount(path: "/sys/fs/cgroup/cpu", hostPath: cgroupDirectory)], dockerHome: "/var/lib/docker"
        )
    }

    static func overlayMount() -> MountEntry {
        let data = facts().graphDriverData
        return MountEntry(
            mountPoint: rootfs, fileSystemType: "overlay", source: "overlay",
            superOptions: ["rw", "lowerdir=\(data["LowerDir"] ?? "")", "upperdir=\(data["UpperDir"] ?? "")", "workdir=\(data["WorkDir"] ?? "")"]
        )
    }

    // MARK: World

    /// The container runs, Docker has its root mounted, criu/mount/docker behave.
    static func world(running: Bool = true) -> FakeWorld {
        var world = FakeWorld()
        world.containers[containerID] = .init(facts: facts(running: running))
        world.directories["/run/crplan"] = 0o755
        world.directories[layer] = 0o700
        world.directories[layer + "/diff"] = 0o755
        world.directories[layer + "/work"] = 0o700
        if running {
            world.processes[initPID] = RunningProcess(pid: initPID, parentPID: 4200, commandLine: command)
            world.directories[rootfs] = 0o755
            world.mounts.append(overlayMount())
        }
        world.handlers = [
            criuDump(), criuRestore(), mount(), makeDirectory(), dockerCheckpointCreate(), dockerStartCheckpoint(), criuCheck(), criuPreDump(),
        ]
        return world
    }

    static func argument(after flag: String, in argv: [String]) -> String? {
        guard let index = argv.firstIndex(of: flag), index + 1 < argv.count else { return nil }
        return argv[index + 1]
    }

    static func isCommand(_ argv: [String], _ words: String...) -> Bool {
        Array(argv.prefix(words.count)) == words
    }

    /// `criu dump`: writes the images, stats-dump and a finished log, and
    /// kills the tasks (unless --leave-running); Docker notices a moment later.
    static func criuDump() -> FakeWorld.CommandHandler {
        .init(name: "criu dump", matches: { isCommand($0, "criu", "dump") }) { world, invocation in
            let argv = invocation.argv
            let directory = argument(after: "-D", in: argv) ?? "/nowhere"
            let pid = Int(argument(after: "-t", in: argv) ?? "") ?? 0
            guard world.processes[pid] != nil else {
                world.write(directory + "/dump.log", "(00.001) Error (criu/cr-dump.c:1): No process \(pid)\n")
                return CommandResult(status: .exited(1), standardError: "dump failed")
            }
            world.write(directory + "/inventory.img", "inventory")
            world.write(directory + "/pages-1.img", "pages")
            world.writeBytes(directory + "/stats-dump", CRIUBytes.statsDump(frozen: 182_400, written: 36))
            world.write(directory + "/dump.log", "(00.001) Dumping tree\n(00.020) Dumping finished successfully\n")
            if !argv.contains("--leave-running"), let id = world.containers.first(where: { $0.value.facts.pid == pid })?.key {
                world.containerInitDied(id, noticedAfterInspects: 1)
            }
            return CommandResult(status: .exited(0))
        }
    }

    /// `criu check --feature mem_dirty_track`: exit 0 with soft-dirty
    /// tracking, else CRIU 4.1.1's warning and exit 1 (as on this project's hosts).
    static func criuCheck(dirtyTracking: Bool = true) -> FakeWorld.CommandHandler {
        .init(name: "criu check", matches: { isCommand($0, "criu", "check") }) { _, _ in
            dirtyTracking
                ? CommandResult(status: .exited(0))
                : CommandResult(status: .exited(1), standardError: "Warn  (criu/cr-check.c:824): Dirty tracking is OFF. Memory snapshot will not work.\n")
        }
    }

    /// `criu pre-dump`: pages into its `-D`, a finished log; the tasks run on.
    static func criuPreDump() -> FakeWorld.CommandHandler {
        .init(name: "criu pre-dump", matches: { isCommand($0, "criu", "pre-dump") }) { world, invocation in
            let directory = argument(after: "-D", in: invocation.argv) ?? "/nowhere"
            world.write(directory + "/pages-1.img", "pages")
            world.write(directory + "/pre-dump.log", "(00.001) Pre-dumping tasks\n(00.010) Pre-dumping finished successfully\n")
            return CommandResult(status: .exited(0))
        }
    }

    /// A `criu dump` that fails like CRIU does: log errors, tasks resumed.
    static func failingCriuDump() -> FakeWorld.CommandHandler {
        .init(name: "failing criu dump", matches: { isCommand($0, "criu", "dump") }) { world, invocation in
            let directory = argument(after: "-D", in: invocation.argv) ?? "/nowhere"
            world.write(directory + "/inventory.img", "partial")
            world.write(directory + "/dump.log", """
                (00.001) Dumping tree
                (00.002) Seizing tasks
                (00.010) Error (criu/sk-unix.c:123): unix: Can't dump socket 12345
                (00.011) Unlock network
                (00.012) Unfreezing tasks into 1
                """)
            return CommandResult(status: .exited(1), standardError: "Error (criu/sk-unix.c:123): unix: Can't dump socket 12345")
        }
    }

    /// `criu restore -d`: needs the root mounted; opens --pidfile O_EXCL.
    static func criuRestore() -> FakeWorld.CommandHandler {
        .init(name: "criu restore", matches: { isCommand($0, "criu", "restore") }) { world, invocation in
            let argv = invocation.argv
            let directory = argument(after: "-D", in: argv) ?? "/nowhere"
            let root = argument(after: "--root", in: argv) ?? ""
            let pidfile = argument(after: "--pidfile", in: argv) ?? ""
            let log = directory + "/restore.log"
            guard world.mounts.contains(where: { $0.mountPoint == root }) else {
                world.write(log, "(00.001) Error (criu/mount.c:1): The root \(root) is not a mount point\n")
                return CommandResult(status: .exited(1))
            }
            guard world.files[pidfile] == nil else {
                world.write(log, "(00.300) Restore tasks\n(00.400) Error (criu/cr-restore.c:2): Can't open pidfile \(pidfile): File exists\n(00.401) Killing restored tasks\n")
                return CommandResult(status: .exited(1))
            }
            let pid = world.nextPid
            world.nextPid += 1
            let commandLine = world.containers.values.first?.facts.initCommandLine ?? Scenario.command
            world.processes[pid] = RunningProcess(pid: pid, parentPID: 1, commandLine: commandLine)
            world.write(pidfile, "\(pid)")
            world.write(log, "(00.300) Restore tasks\n(00.424) Restore finished successfully. Resuming tasks.\n")
            world.writeBytes(directory + "/stats-restore", CRIUBytes.statsRestore(restored: 36))
            return CommandResult(status: .exited(0))
        }
    }

    static func failingCriuRestore() -> FakeWorld.CommandHandler {
        .init(name: "failing criu restore", matches: { isCommand($0, "criu", "restore") }) { world, invocation in
            let directory = argument(after: "-D", in: invocation.argv) ?? "/nowhere"
            // --manage-cgroups re-created the container's cgroup before the failure.
            world.directories[cgroupDirectory] = 0o755
            world.write(directory + "/restore.log", "(00.100) Error (criu/files-reg.c:9): Can't open file /etc/hosts on restore\n(00.101) Killing restored tasks\n")
            return CommandResult(status: .exited(1), standardError: "restore failed")
        }
    }

    /// `mount -t TYPE SOURCE -o OPTIONS TARGET` and `mount --bind SOURCE TARGET`.
    static func mount() -> FakeWorld.CommandHandler {
        .init(name: "mount", matches: { $0.first == "mount" }) { world, invocation in
            let argv = invocation.argv
            guard let target = argv.last, world.directories[target] != nil else {
                return CommandResult(status: .exited(32), standardError: "mount: mount point does not exist")
            }
            let type = argv.contains("--bind") ? "ext4" : argument(after: "-t", in: argv) ?? "none"
            let options = (argument(after: "-o", in: argv) ?? "").split(separator: ",").map(String.init)
            let source = argv.contains("--bind") ? argv[argv.count - 2] : (argv.count >= 2 ? argv[argv.count - 2] : "none")
            world.mounts.append(MountEntry(mountPoint: target, fileSystemType: type, source: source, superOptions: options))
            return CommandResult(status: .exited(0))
        }
    }

    /// `mkdir -p PATH`.
    static func makeDirectory() -> FakeWorld.CommandHandler {
        .init(name: "mkdir", matches: { isCommand($0, "mkdir", "-p") }) { world, invocation in
            guard let path = invocation.argv.last else { return CommandResult(status: .exited(1)) }
            var current = path
            while world.directories[current] == nil, current.count > 1 {
                world.directories[current] = 0o755
                current = String(current[..<(current.lastIndex(of: "/") ?? current.startIndex)])
                if current.isEmpty { break }
            }
            return CommandResult(status: .exited(0))
        }
    }

    static func failingMount() -> FakeWorld.CommandHandler {
        .init(name: "failing mount", matches: { $0.first == "mount" }) { _, _ in
            CommandResult(status: .exited(32), standardError: "mount: wrong fs type, bad option, bad superblock on overlay")
        }
    }

    static func dockerCheckpointCreate() -> FakeWorld.CommandHandler {
        .init(name: "docker checkpoint create", matches: { isCommand($0, "docker", "checkpoint", "create") }) { world, invocation in
            guard let id = invocation.argv.dropFirst(3).first, world.containers[id] != nil else { return CommandResult(status: .exited(1)) }
            // Docker keeps the images in its own folder; containerd removes CRIU's statistics.
            let folder = dockerCheckpointFolder(id: id, name: invocation.argv.last ?? "")
            world.writeBytes(folder + "/pages-1.img", Array(repeating: 0, count: 8_192))
            world.write(folder + "/inventory.img", "inventory")
            world.directories[folder] = 0o700
            world.containerInitDied(id, noticedAfterInspects: 0)
            return CommandResult(status: .exited(0))
        }
    }

    /// `<docker home>/containers/<id>/checkpoints/<name>` with the default docker home.
    static func dockerCheckpointFolder(id: String, name: String) -> String {
        "/var/lib/docker/containers/\(id)/checkpoints/\(name)"
    }

    static func dockerStartCheckpoint() -> FakeWorld.CommandHandler {
        .init(name: "docker start --checkpoint", matches: { isCommand($0, "docker", "start", "--checkpoint") }) { world, invocation in
            guard let id = invocation.argv.last, var container = world.containers[id] else { return CommandResult(status: .exited(1)) }
            let pid = world.nextPid
            world.nextPid += 1
            world.processes[pid] = RunningProcess(pid: pid, parentPID: 1, commandLine: Scenario.command)
            container.facts.running = true
            container.facts.status = "running"
            container.facts.pid = pid
            world.containers[id] = container
            return CommandResult(status: .exited(0))
        }
    }

    // MARK: Plans and graphs

    /// The plan text of the scenario: container `web`, images under `/images`.
    static func planText(
        operation: Plan.Operation = .roundtrip, mode: Plan.Mode = .external, leaveRunning: Bool = false, driver: String = "overlay2"
    ) -> String {
        """
        version: 1
        name: \(planName)
        container: \(name)
        operation: \(operation.rawValue)
        mode: \(mode.rawValue)
        storage:
          driver: \(mode == .native ? "auto" : driver)
        imageDir: /images/${container.id}
        criu:
          leaveRunning: \(leaveRunning)
        restore:
          pidfile: \(pidfile)

        """
    }

    /// The graph the planner compiles for the scenario's plan (an empty
    /// environment: docker, criu and /var/lib/docker by default).
    static func graph(
        operation: Plan.Operation = .roundtrip, mode: Plan.Mode = .external, leaveRunning: Bool = false, driver: String = "overlay2"
    ) -> StepGraph {
        guard leaveRunning, operation == .roundtrip else {
            return compile(planText(operation: operation, mode: mode, leaveRunning: leaveRunning, driver: driver))
        }
        // Hand-built: the planner refuses a leave-running roundtrip (lint rule
        // leave-running-roundtrip), but the rollback tests need a dump that is
        // no point of no return followed by steps that leave something to undo.
        var graph = compile(planText(operation: operation, mode: mode, leaveRunning: false, driver: driver))
        if let index = graph.steps.firstIndex(where: { $0.kind == .dump }) {
            graph.steps[index].commands[0].arguments.append("--leave-running")
            graph.steps[index].pointOfNoReturn = false
            graph.steps[index].undo = .nothing
        }
        return graph
    }

    /// Lints and compiles plan text; a test plan that does not compile is a test bug.
    static func compile(_ text: String) -> StepGraph {
        let result = Linter.lint(text: text, file: "scenario.yaml")
        guard let plan = result.plan else {
            fatalError("scenario plan does not lint: \(result.diagnostics.map(\.message))")
        }
        do {
            return try Planner(environment: [:]).compile(plan)
        } catch {
            fatalError("scenario plan does not compile: \(error)")
        }
    }

    static func executor(_ host: FakeHost, observer: EventRecorder? = nil, configure: (inout ExecutorOptions) -> Void = { _ in }) -> Executor {
        var options = ExecutorOptions(stateDirectory: stateDir, crplanVersion: "test")
        configure(&options)
        return Executor(host: host, options: options, observer: observer)
    }
}

/// Collects the executor's events.
final class EventRecorder: ExecutionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [ExecutionEvent] = []

    func handle(_ event: ExecutionEvent) {
        lock.lock()
        storage.append(event)
        lock.unlock()
    }

    var events: [ExecutionEvent] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }

    func kinds(_ kind: ExecutionEvent.Kind) -> [StepKind] {
        events.filter { $0.kind == kind }.compactMap(\.step)
    }
}

extension FakeWorld {
    /// The argv of every command run, in order.
    var commandsRun: [[String]] {
        calls.compactMap { if case .run(let argv) = $0 { argv } else { nil } }
    }

    func count(_ words: String...) -> Int {
        commandsRun.filter { Array($0.prefix(words.count)) == words }.count
    }

    var unmounts: [String] {
        calls.compactMap { if case .unmount(let path) = $0 { path } else { nil } }
    }
}

extension FakeHost {
    /// The journal's records as they are on disk now.
    func journalRecords(_ path: String = Scenario.journal) throws -> [JournalRecord] {
        try JournalReader.parse(world.files[path] ?? [], path: path).records
    }
}
