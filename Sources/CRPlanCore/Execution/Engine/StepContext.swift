/// What a step's behaviour may use while it runs: the host, the graph, the
/// facts bound so far, its own journaled outputs, and helpers that bind
/// templates, run the step's commands with logs and a deadline, and journal
/// progress before a side effect.
struct StepContext {
    let session: RunSession
    let step: Step
    let attempt: Int
    /// When the step's time limit runs out.
    let deadline: Timestamp

    var host: any Host { session.host }
    var graph: StepGraph { session.graph }
    var options: ExecutorOptions { session.options }
    /// The facts bound last (inspect, or the checkpoint's saved facts).
    var facts: ContainerFacts? { session.state.facts }
    /// This step's journaled state (progress values of the current or interrupted attempt).
    var record: StepRecord? { session.state[step.kind] }

    /// The journaled outputs of another step of the run.
    func outputs(of kind: StepKind) -> [String: String] {
        session.state[kind]?.outputs ?? [:]
    }

    func requireFacts() throws -> ContainerFacts {
        guard let facts else {
            throw StepFailure("step \(step.kind.rawValue) needs the container's facts, but no inspect or load-checkpoint step bound them")
        }
        return facts
    }

    // MARK: Templates

    /// `template` with every variable bound: environment values the planner
    /// left open, the plan name, Docker home and image dir, then the facts.
    func resolve(_ template: Template, purpose: String) throws -> String {
        try resolve(template, purpose: purpose, depth: 0)
    }

    private func resolve(_ template: Template, purpose: String, depth: Int) throws -> String {
        guard depth < 4 else {
            throw StepFailure("cannot \(purpose): the plan's docker.home and imageDir refer to each other")
        }
        let variables = template.variables
        let dockerHome = variables.contains(.dockerHome) ? try resolve(graph.plan.docker.home, purpose: purpose, depth: depth + 1) : nil
        let imageDir = variables.contains(.imageDir) ? try resolve(graph.plan.imageDir, purpose: purpose, depth: depth + 1) : nil
        let environment = host.environment
        let facts = self.facts
        let graph = self.graph
        let substituted = template.substituting { variable in
            switch variable {
            case .environment(let name, _): environment[name].map { Template(literal: $0) }
            case .planName: Template(literal: graph.planName)
            case .dockerHome: dockerHome.map { Template(literal: $0) }
            case .imageDir: imageDir.map { Template(literal: $0) }
            case .containerID where facts == nil && graph.container.kind == .fullID: Template(literal: graph.container.value)
            default: nil
            }
        }
        if facts == nil, substituted.hasRuntimeVariables {
            throw StepFailure("cannot \(purpose): `\(template)` needs the container's facts, which no inspect or load-checkpoint step has bound yet")
        }
        do {
            return try substituted.bind(facts ?? RunSession.placeholderFacts, purpose: purpose)
        } catch {
            throw StepFailure(error.description)
        }
    }

    /// The image dir of the plan, bound.
    func imageDirectory() throws -> String {
        try resolve(graph.plan.imageDir, purpose: "find the image dir")
    }

    func dockerEndpoint() throws -> DockerEndpoint {
        let docker = graph.plan.docker
        return DockerEndpoint(
            binary: try resolve(docker.binary, purpose: "find the docker binary"),
            home: try resolve(docker.home, purpose: "find Docker's data root"),
            host: try docker.host.map { try resolve($0, purpose: "find the Docker host") }
        )
    }

    /// The argv of a compiled command, every value bound.
    func argv(for command: CommandTemplate) throws -> [String] {
        var bound = command
        bound.arguments = try command.arguments.map { argument in
            guard case .value(let template) = argument else { return argument }
            return .value(Template(literal: try resolve(template, purpose: command.purpose)))
        }
        do {
            return try bound.bind(facts ?? RunSession.placeholderFacts)
        } catch {
            throw StepFailure(error.description)
        }
    }

    // MARK: Commands

    /// Runs the step's commands in order with its deadline, logging each
    /// one's output in the run folder; stops at the first that fails.
    func runCommands() async throws -> CommandRun {
        let logDirectory = session.folder.logDirectory(runID: session.runID)
        try await host.makeDirectory(at: logDirectory, mode: 0o700)
        let commands: [CommandTemplate]
        do {
            commands = try step.commands(for: facts ?? RunSession.placeholderFacts)
        } catch {
            throw StepFailure("step \(step.kind.rawValue): \(error.description)")
        }
        let workingDirectory: String? =
            switch step.kind {
            case .dump, .restore: try imageDirectory()
            default: nil
            }
        var run = CommandRun()
        for (index, command) in commands.enumerated() {
            let argv = try argv(for: command)
            guard !argv.isEmpty else {
                throw StepFailure("step \(step.kind.rawValue): the command to \(command.purpose) is empty")
            }
            if let reason = try await skipReason(for: command) {
                await note("not running `\(argv.joined(separator: " "))`: \(reason)")
                continue
            }
            let remaining = deadline.millisecondsSinceEpoch - (await host.now()).millisecondsSinceEpoch
            guard remaining > 0 else {
                throw StepFailure("step \(step.kind.rawValue) ran out of time before it could \(command.purpose)")
            }
            let logBase = "\(logDirectory)/\(step.kind.rawValue)-\(attempt)-\(index + 1)"
            let invocation = CommandInvocation(
                argv: argv, timeout: .milliseconds(remaining),
                standardOutputLog: logBase + ".stdout", standardErrorLog: logBase + ".stderr",
                workingDirectory: workingDirectory
            )
            await session.emit(.commandStarted, step: step.kind, attempt: attempt, message: ShellQuoting.line(argv))
            let result = try await host.run(invocation)
            await session.emit(.commandFinished, step: step.kind, attempt: attempt, message: result.status.description)
            run.completed.append(.init(invocation: invocation, purpose: command.purpose, result: result))
            if !result.status.isSuccess { break }
        }
        return run
    }

    /// Evaluates a command's guards: a reason to skip it, nil to run it, or
    /// a thrown failure when running it would be wrong.
    private func skipReason(for command: CommandTemplate) async throws -> String? {
        for guardCheck in command.guards {
            switch guardCheck {
            case .skipIfMounted(let target, let fsType, _):
                let path = try resolve(target, purpose: command.purpose)
                if let entry = try await host.mountEntry(at: path) {
                    guard entry.fileSystemType == fsType else {
                        throw StepFailure("\(path) is already a mount point of type \(entry.fileSystemType), not \(fsType): refusing to mount over it")
                    }
                    return "\(path) is already mounted (\(fsType))"
                }
            case .skipIfMountPoint(let target):
                let path = try resolve(target, purpose: command.purpose)
                if try await host.mountEntry(at: path) != nil {
                    return "\(path) is already a mount point"
                }
            case .requireDirectory(let target):
                let path = try resolve(target, purpose: command.purpose)
                guard try await host.fileType(at: path) == .directory else {
                    throw StepFailure("\(path) is not a directory: cannot \(command.purpose)")
                }
            case .clearStaleFile(let target):
                // `RestoreStep` proves a stale pidfile stale (no live process of
                // the container) and moves it aside, journaled, before its
                // commands run; here only the outcome is checked.
                let path = try resolve(target, purpose: command.purpose)
                if try await host.fileType(at: path) != nil {
                    throw StepFailure("\(path) is still there: cannot \(command.purpose), which opens it O_EXCL")
                }
            }
        }
        return nil
    }

    // MARK: Journal and events

    /// Journals values a later probe needs, before the side effect they describe.
    func progress(_ values: [String: String]) async throws {
        try await session.append(.stepProgress(.init(step: step.kind, values: values, at: await host.now())))
    }

    /// Journals `facts` as the run's bound facts and locks the container id.
    func bindFacts(_ facts: ContainerFacts, source: String) async throws {
        do {
            try await session.lockContainer(facts.id)
        } catch {
            throw StepFailure(error.description)
        }
        try await session.append(.factsBound(.init(facts: facts, source: source, at: await host.now())))
    }

    /// Tells the operator something now (printed as a note line).
    func note(_ message: String) async {
        await session.emit(.note, step: step.kind, message: message)
    }

    // MARK: Small host helpers

    /// The pid in a pidfile, nil if the file is missing or holds no number.
    func readPid(at path: String) async throws -> Int? {
        guard try await host.fileType(at: path) == .regular else { return nil }
        let text = try await host.readText(at: path)
        return Int(text.trimmingWhitespace)
    }

    /// True when `process` runs the container's command (when the facts know it).
    func runsContainerCommand(_ process: RunningProcess) -> Bool? {
        guard let expected = facts?.initCommandLine, !expected.isEmpty else { return nil }
        return process.commandLine == expected
    }

    /// `<path>.<time>` (with `-2`, `-3`... if taken): where something is moved aside to.
    func asidePath(for path: String, label: String) async throws -> String {
        let stamp = (await host.now()).compact
        let base = label.isEmpty ? "\(path).\(stamp)" : "\(path).\(label)-\(stamp)"
        var candidate = base
        var counter = 2
        while try await host.fileType(at: candidate) != nil {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        return candidate
    }
}

/// The commands a step ran and how each ended.
struct CommandRun {
    struct Completed {
        var invocation: CommandInvocation
        var purpose: String
        var result: CommandResult
    }

    var completed: [Completed] = []

    /// The command that failed (the last one run), if any did.
    var failure: Completed? {
        completed.last.flatMap { $0.result.status.isSuccess ? nil : $0 }
    }

    var succeeded: Bool { failure == nil }

    /// "`criu dump …` (to dump the container) ended with exit status 1: <stderr tail>; output in <log>".
    var failureDescription: String? {
        guard let failure else { return nil }
        let command = failure.invocation.argv.joined(separator: " ")
        var text = "`\(command)` (to \(failure.purpose)) ended with \(failure.result.status)"
        let tail = failure.result.standardError.lastLines(5)
        if !tail.isEmpty { text += ": " + tail }
        if let log = failure.invocation.standardErrorLog { text += " (full output in \(log))" }
        return text
    }
}

extension RunSession {
    /// Facts for binding templates that use no runtime variable.
    static let placeholderFacts = ContainerFacts(
        id: "", name: "", pid: 0, running: false, status: "", driver: "", graphDriverData: [:],
        hostnamePath: "", hostsPath: "", resolvConfPath: "", rootfs: "", cgroupMounts: [], dockerHome: ""
    )

    func lockContainer(_ key: String) async throws(ExecutorError) {
        try await locks.acquire(folder.containerLock(key), key: "container:" + key, what: "container \(key)")
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

    /// The last `count` non-empty lines joined with ` / `.
    func lastLines(_ count: Int) -> String {
        split(separator: "\n", omittingEmptySubsequences: true).suffix(count).map { String($0).trimmingWhitespace }.joined(separator: " / ")
    }
}
