/// The numbered list of steps a human reads before `crplan apply`: each
/// step's id, what it does, what it waits for, its argv as one line each,
/// its checks, outputs and what undoing it means.
struct TextRenderer {
    /// True when runtime values are still `${...}` placeholders.
    var symbolic: Bool

    func render(_ graph: StepGraph) -> String {
        var renderer = self
        renderer.targetSSH = graph.targetSSH
        return renderer.renderGraph(graph)
    }

    /// Set while rendering a migrate over ssh: target-side commands print as the ssh argv that runs them.
    private var targetSSH: SSHTarget?

    init(symbolic: Bool) {
        self.symbolic = symbolic
    }

    private func renderGraph(_ graph: StepGraph) -> String {
        var lines: [String] = []
        lines.append("plan \(graph.planName): \(graph.operation.rawValue) of container \(graph.container.value)"
            + " (\(graph.mode.rawValue) mode, storage driver \(graph.storageDriver.rawValue))")
        if symbolic, graph.step(.openArchive) != nil {
            lines.append("runtime values such as ${run.id} and ${source.image} are bound when open-archive runs (the archive's facts); "
                + "[target] is this plan's own engine")
        } else if symbolic {
            lines.append("runtime values such as ${container.pid} are bound when the inspect step runs")
        }
        if let ssh = graph.targetSSH {
            lines.append("the target engine is on \(ssh.destination), reached over ssh: each [target] command runs there as one strictly quoted line")
        }
        for (number, step) in graph.steps.enumerated() {
            lines.append("")
            lines += render(step, number: number + 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func render(_ step: Step, number: Int) -> [String] {
        let indent = "   "
        var lines = ["\(number). \(step.id)", indent + step.summary]
        let dependencies = step.dependsOn.map(\.rawValue).joined(separator: ", ")
        lines.append(indent + "depends on: " + (dependencies.isEmpty ? "nothing" : dependencies))
        lines.append(indent + "timeout: \(step.timeout)" + (step.pointOfNoReturn ? "; point of no return: once it succeeds it is never undone" : ""))
        for input in step.inputs {
            lines.append(indent + "reads: \(input)")
        }
        lines += describe(step.paths).map { indent + $0 }
        lines += step.commands.flatMap { render($0, indent: indent) }
        for alternative in step.alternatives {
            let drivers = alternative.drivers.map(\.rawValue).joined(separator: " or ")
            lines.append(indent + "if the storage driver is \(drivers):")
            lines += alternative.commands.flatMap { render($0, indent: indent + "  ") }
        }
        let checkLabel = step.kind == .waitContainerExited ? "wait until" : "check"
        for check in step.checks {
            lines.append(indent + "\(checkLabel): " + describe(check))
        }
        for output in step.produces {
            lines.append(indent + "produces: \(output)")
        }
        if case .commands(let commands) = step.undo {
            lines.append(indent + "undo: run")
            lines += commands.flatMap { render($0, indent: indent + "  ") }
        } else {
            lines.append(indent + "undo: " + describe(step.undo))
        }
        return lines
    }

    private func render(_ command: CommandTemplate, indent: String) -> [String] {
        var lines: [String] = []
        if let directory = command.workingDirectory {
            lines.append(indent + "in \(directory):")
        }
        let engine = command.side.map { "[\($0.rawValue)] " } ?? ""
        if command.side == .target, let targetSSH {
            lines.append(indent + "$ " + engine + Self.remoteLine(command, over: targetSSH))
        } else {
            lines.append(indent + "$ " + engine + ShellQuoting.commandLine(command.arguments))
        }
        if command.output == .pipedToNext {
            lines.append(indent + "  | its output is the next command's input")
        }
        if let interval = command.pollInterval {
            lines.append(indent + "  polled: run again every \(interval) until the checks below hold")
        }
        if command.output == .containerInspect {
            lines.append(indent + "  its output is read as the container's state")
        }
        for guardian in command.guards {
            lines.append(indent + "  " + describe(guardian))
        }
        return lines
    }

    private func describe(_ guardian: CommandGuard) -> String {
        switch guardian {
        case .skipIfMounted(let target, let fsType, let options):
            "skipped if \(target) is already mounted as \(fsType)"
                + (options.map { " with \($0)" } ?? "") + "; refused if something else is mounted there"
        case .skipIfMountPoint(let path):
            "skipped if \(path) is already a mount point"
        case .requireDirectory(let path):
            "refused unless \(path) is an existing directory"
        case .clearStaleFile(let path):
            "a stale \(path) from an earlier attempt is moved aside first (criu opens it with O_EXCL)"
        }
    }

    private func describe(_ check: StepCheck) -> String {
        switch check {
        case .containerRunning: "Docker reports the container running"
        case .containerNotRunning: "Docker reports the container not running"
        case .notMountPoint(let path): "\(path) is not a mount point"
        case .logContains(let log, let text): "\(log) contains `\(text)`"
        case .savedFactsMatchContainer(let file): "\(file) names the inspected container"
        case .processAlive(let pidfile): "the pid in \(pidfile) is alive and runs the container's command"
        case .storageDriver(let drivers): "Docker reports storage driver " + drivers.joined(separator: " or ")
        case .freshStagingDir(let path, let homes):
            "\(path) is outside the Docker data roots " + homes.map(\.description).joined(separator: " and ")
                + " and the system folders, and is made new by this run (an existing one is refused)"
        }
    }

    private func describe(_ paths: StepPaths) -> [String] {
        var lines: [String] = []
        if let imageDir = paths.imageDir { lines.append("image dir: \(imageDir)") }
        if let facts = paths.factsFile { lines.append("facts file: \(facts)") }
        if let home = paths.dockerHome { lines.append("docker home: \(home)") }
        if let pidfile = paths.pidfile { lines.append("pidfile: \(pidfile)") }
        if let criuPidfile = paths.criuPidfile { lines.append("criu pidfile: \(criuPidfile)") }
        if let log = paths.log { lines.append("log: \(log)") }
        if let measured = paths.measuredImages { lines.append("measures: \(measured)") }
        return lines
    }

    private func describe(_ undo: UndoAction) -> String {
        switch undo {
        case .nothing: "nothing"
        case .unmount(let path): "unmount \(path) (if this run mounted it)"
        case .removeFile(let path): "remove \(path) (if this run wrote it)"
        case .irreversible(let reason): "none, irreversible: \(reason)"
        case .commands(let commands): "run " + commands.map { ShellQuoting.commandLine($0.arguments) }.joined(separator: "; ")
        }
    }

    /// A target-side command as the ssh argv `RemoteHost` runs, built by the
    /// same function (`SSHTarget.argv(running:)`); runtime values not bound
    /// yet go into the remote line as their `${...}` placeholders.
    static func remoteLine(_ command: CommandTemplate, over target: SSHTarget) -> String {
        let argv = command.literalArgv ?? command.arguments.map(\.description)
        do {
            let ssh = try target.argv(running: argv)
            return (ssh.dropLast().map(ShellQuoting.word) + [ssh.last.map(quotedRemoteLine) ?? ""]).joined(separator: " ")
        } catch {
            return ShellQuoting.commandLine(command.arguments) + "  (cannot run over ssh: \(error))"
        }
    }

    /// The remote line (single-quoted words) as one shell word: in double
    /// quotes, `$` escaped, when that is exact; else single-quoted.
    static func quotedRemoteLine(_ line: String) -> String {
        guard !line.contains(where: { "\"\\`!\n".contains($0) }) else { return ShellQuoting.word(line) }
        return "\"" + line.replacing("$", with: "\\$") + "\""
    }
}
