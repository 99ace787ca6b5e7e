/// What a step's behaviour may use while it runs: the host, the step bound
/// with the facts known now (through `Step.bound(to:)`, the function the dry
/// run prints with), its own journaled outputs, and helpers that run the
/// step's commands with logs and a deadline and journal progress before a
/// side effect.
struct StepContext {
    let session: RunSession
    /// The step as compiled (templates); `bound()` gives it with values.
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

    // MARK: Binding

    /// The step bound with the facts known now: runtime values concrete once
    /// `inspect` (or `load-checkpoint`) has bound facts, symbolic before.
    func bound() throws -> Step {
        do {
            return try step.bound(to: facts, run: RunValues(runID: session.runID))
        } catch {
            throw StepFailure("step \(step.kind.rawValue): \(error.description)")
        }
    }

    /// A bound path of the step (`\.imageDir`, `\.pidfile`, ...), which must be concrete by now.
    func path(_ keyPath: KeyPath<StepPaths, Template?>, _ what: String) throws -> String {
        guard let template = try bound().paths[keyPath: keyPath] else {
            throw StepFailure("step \(step.kind.rawValue) has no \(what) (a crplan bug: please report it)")
        }
        return try literal(template, what)
    }

    /// The text of a bound template, or a failure naming what is still symbolic.
    func literal(_ template: Template, _ what: String) throws -> String {
        guard let text = template.literalValue else {
            throw StepFailure("step \(step.kind.rawValue) cannot use \(what) `\(template)` before the container's facts are bound")
        }
        return text
    }

    // MARK: Commands

    /// Runs the step's bound commands in order with its deadline, logging
    /// each one's output in the run folder; stops at the first that fails.
    func runCommands() async throws -> CommandRun {
        var run = CommandRun()
        let commands = try bound().commands
        var index = 0
        while index < commands.count {
            let command = commands[index]
            if command.output == .pipedToNext {
                var end = index
                while end < commands.count - 1, commands[end].output == .pipedToNext { end += 1 }
                let completed = try await runPipeline(Array(commands[index...end]), index: index)
                run.completed.append(completed)
                index = end + 1
                if !completed.result.status.isSuccess { break }
                continue
            }
            index += 1
            guard let completed = try await self.run(command, index: index - 1) else { continue }
            run.completed.append(completed)
            if !completed.result.status.isSuccess { break }
        }
        return run
    }

    /// Runs the bound commands whose output the step reads as the container's
    /// state (its `docker inspect`), for a probe or a post-condition.
    func runStateQuery() async throws -> CommandRun.Completed {
        let commands = try bound().commands
        guard let index = commands.firstIndex(where: { $0.output == .containerInspect }),
              let completed = try await run(commands[index], index: index) else {
            throw StepFailure("step \(step.kind.rawValue) has no command that reads the container's state (a crplan bug: please report it)")
        }
        return completed
    }

    /// The host a command runs on (its engine side's; the source's when it names none).
    func sideHost(for command: CommandTemplate) -> any Host {
        session.hosts.host(for: command.side ?? .source)
    }

    /// The argv that runs a bound command on its side's host (`Host.commandLine(for:)`).
    func commandLine(_ command: CommandTemplate) throws -> [String] {
        guard let argv = command.literalArgv else {
            throw StepFailure("step \(step.kind.rawValue): cannot \(command.purpose) before the container's facts are bound")
        }
        return sideHost(for: command).commandLine(for: argv)
    }

    /// The most bytes of a pipeline's output a step reads (more is reported truncated).
    static let pipelineCaptureLimit = 64 << 20

    /// Runs bound commands connected by pipes (each but the last `output:
    /// piped-to-next`) on crplan's machine, each stage's argv through its
    /// side's `commandLine(for:)`, within the step's deadline.
    func runPipeline(_ commands: [CommandTemplate], index: Int) async throws -> CommandRun.Completed {
        var stages: [PipelineStage] = []
        for command in commands {
            stages.append(PipelineStage(try commandLine(command)))
        }
        let remaining = deadline.millisecondsSinceEpoch - (await host.now()).millisecondsSinceEpoch
        guard remaining > 0 else {
            throw StepFailure("step \(step.kind.rawValue) ran out of time before it could \(commands[0].purpose)")
        }
        let pipeline: CommandPipeline
        do {
            // The last stage's output is read when the step reads it (open-archive's `tar --list`), else discarded.
            let output: PipelineOutput = commands.last?.output == .ignored ? .null : .capture(limit: Self.pipelineCaptureLimit)
            pipeline = try CommandPipeline(stages: stages, output: output, timeoutMilliseconds: Int(remaining))
        } catch {
            throw StepFailure("step \(step.kind.rawValue): \(error.description)")
        }
        let purpose = commands.map(\.purpose).joined(separator: ", then ")
        await session.emit(.commandStarted, step: step.kind, attempt: attempt, message: pipeline.displayLine)
        let result = try await session.hosts.local.runPipeline(pipeline)
        await session.emit(.commandFinished, step: step.kind, attempt: attempt, message: result.status.description)
        let invocation = CommandInvocation(argv: Array(stages.flatMap { $0.argv + ["|"] }.dropLast()), timeout: .milliseconds(remaining))
        return .init(invocation: invocation, purpose: purpose, result: result)
    }

    /// Runs one bound command (after its guards): nil when a guard skipped it.
    func run(_ command: CommandTemplate, index: Int) async throws -> CommandRun.Completed? {
        guard let argv = try? commandLine(command) else {
            throw StepFailure("step \(step.kind.rawValue): cannot \(command.purpose) before the container's facts are bound")
        }
        guard !argv.isEmpty else {
            throw StepFailure("step \(step.kind.rawValue): the command to \(command.purpose) is empty")
        }
        if let reason = try await skipReason(for: command) {
            await note("not running `\(ShellQuoting.line(argv))`: \(reason)")
            return nil
        }
        let remaining = deadline.milliseconds(since: await host.now())
        guard remaining > 0 else {
            throw StepFailure("step \(step.kind.rawValue) ran out of time before it could \(command.purpose)")
        }
        let logDirectory = session.folder.logDirectory(runID: session.runID)
        if !session.logDirectoryReady {
            try await host.makeDirectory(at: logDirectory, mode: 0o700)
            session.logDirectoryReady = true
        }
        let logBase = "\(logDirectory)/\(step.kind.rawValue)-\(attempt)-\(index + 1)"
        let invocation = CommandInvocation(
            argv: argv, timeout: .milliseconds(remaining),
            standardOutputLog: logBase + ".stdout", standardErrorLog: logBase + ".stderr",
            workingDirectory: try command.workingDirectory.map { try literal($0, "the working directory") }
        )
        await session.emit(.commandStarted, step: step.kind, attempt: attempt, message: ShellQuoting.line(argv))
        let result = try await runJournalingChild(invocation, on: sideHost(for: command))
        await session.emit(.commandFinished, step: step.kind, attempt: attempt, message: result.status.description)
        return .init(invocation: invocation, purpose: command.purpose, result: result)
    }

    /// The container's state from a completed `docker inspect` of the step.
    func containerFacts(from completed: CommandRun.Completed, reference: String) async throws -> ContainerFacts {
        if completed.result.status == .timedOut {
            throw StepFailure("`\(ShellQuoting.line(completed.invocation.argv))` (to \(completed.purpose)) timed out")
        }
        return try await host.containerFacts(
            fromInspect: completed.result, reference: reference, dockerHome: try path(\.dockerHome, "Docker data root")
        )
    }

    /// Evaluates a command's guards: a reason to skip it, nil to run it, or
    /// a thrown failure when running it would be wrong.
    private func skipReason(for command: CommandTemplate) async throws -> String? {
        for guardCheck in command.guards {
            switch guardCheck {
            case .skipIfMounted(let target, let fsType, _):
                let path = try literal(target, "the mount point")
                if let entry = try await host.mountEntry(at: path) {
                    guard guardCheck.isSatisfied(by: entry) == true else {
                        throw StepFailure(
                            "\(path) is already a mount point (\(entry.fileSystemType) from \(entry.source)), but not the \(fsType) mount "
                                + "this command makes: refusing to mount over it; unmount it or check the plan"
                        )
                    }
                    return "\(path) is already mounted as wanted (\(fsType))"
                }
            case .skipIfMountPoint(let target):
                let path = try literal(target, "the mount point")
                if try await host.mountEntry(at: path) != nil {
                    return "\(path) is already a mount point"
                }
            case .requireDirectory(let target):
                let path = try literal(target, "the directory")
                guard try await host.fileType(at: path) == .directory else {
                    throw StepFailure("\(path) is not a directory: cannot \(command.purpose)")
                }
            case .clearStaleFile(let target):
                // `RestoreStep` proves a stale pidfile stale (no live process of
                // the container) and moves it aside, journaled, before its
                // commands run; here only the outcome is checked.
                let path = try literal(target, "the pidfile")
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

    /// Moves `path` aside to a free `<path>.<label>-<time>` name (journaled
    /// first as `key`, so a probe finds it) and returns where it went.
    func moveAside(_ path: String, label: String, key: String, progress extra: [String: String] = [:]) async throws -> String {
        let aside = try await AsideName.free(for: path, label: label, stamp: (await host.now()).compact, host: host)
        try await progress(extra.merging([key: aside]) { _, new in new })
        try await host.move(from: path, to: aside)
        return aside
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
        failure.map(\.failureDescription)
    }
}

extension CommandRun.Completed {
    /// How the command ended, with the tail of its standard error and where its full output is.
    var failureDescription: String {
        var text = "`\(ShellQuoting.line(invocation.argv))` (to \(purpose)) "
            + (result.status == .timedOut ? "timed out" : "ended with \(result.status)")
        let tail = result.standardError.lastLines(5)
        if !tail.isEmpty { text += ": " + tail }
        if let log = invocation.standardErrorLog { text += " (full output in \(log))" }
        return text
    }
}

extension RunSession {
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
