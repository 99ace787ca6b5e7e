/// What the migrate steps share: reading the target engine's answers
/// (pure decoding of printed commands' output, so the target may be
/// reached over ssh) and journaling what the migration learned as facts,
/// so a resume or rollback binds the same values again.
extension StepContext {
    /// Runs the bound command at `index` (which must not be skipped).
    func runCommand(at index: Int) async throws -> CommandRun.Completed {
        let commands = try bound().commands
        guard commands.indices.contains(index), let completed = try await run(commands[index], index: index) else {
            throw StepFailure("step \(step.kind.rawValue) has no command \(index + 1) to run (a crplan bug: please report it)")
        }
        return completed
    }

    /// Runs the bound command at `index` and fails the step when it fails.
    @discardableResult
    func runChecked(at index: Int) async throws -> CommandRun.Completed {
        let completed = try await runCommand(at: index)
        guard completed.result.status.isSuccess else { throw StepFailure(completed.failureDescription) }
        return completed
    }

    /// Runs `command`, the command at `index` of the step as `bound()` gave
    /// it (bound once by a step with many commands), and fails the step when it fails.
    @discardableResult
    func runChecked(_ command: CommandTemplate, at index: Int) async throws -> CommandRun.Completed {
        guard let completed = try await run(command, index: index) else {
            throw StepFailure("step \(step.kind.rawValue) skipped its command \(index + 1), which has no guard (a crplan bug: please report it)")
        }
        guard completed.result.status.isSuccess else { throw StepFailure(completed.failureDescription) }
        return completed
    }

    /// The target container's state from a completed target `docker inspect`.
    func targetState(_ completed: CommandRun.Completed) throws -> TargetInspect {
        guard completed.result.status.isSuccess else {
            throw StepFailure(completed.failureDescription)
        }
        do {
            return try TargetInspect(inspectOutput: completed.result, what: "target engine's")
        } catch {
            throw StepFailure(error.description)
        }
    }

    /// Journals the run's facts with `change` applied (`facts-bound`).
    func rebindFacts(source: String, _ change: (inout ContainerFacts) -> Void) async throws {
        var facts = try requireFacts()
        change(&facts)
        try await session.append(.factsBound(.init(facts: facts, source: source, at: await host.now())))
    }

    /// True for the command that makes this run's staging dir: `env
    /// LC_ALL=C mkdir` without `--parents`, which fails when the folder
    /// exists (and, in the C locale, says `File exists`).
    static func makesStagingDir(_ command: CommandTemplate) -> Bool {
        let words = command.arguments.compactMap { argument -> String? in
            guard case .value(let template) = argument else { return nil }
            return template.literalValue
        }
        return words.starts(with: ["env", "LC_ALL=C", "mkdir"]) && !words.contains("--parents")
    }

    /// Runs the `mkdir` of this run's staging dir (on its side's host). The
    /// folder must not exist: one that does could hold anything, which would
    /// be sent and unpacked as root. Only a later attempt of this run's own
    /// step (its name is this run's id) accepts the folder the attempt
    /// before made.
    func makeStagingDir(at index: Int) async throws {
        let completed = try await runCommand(at: index)
        if completed.result.status.isSuccess { return }
        let folder = try bound().commands[index].literalArgv?.last ?? "the staging dir"
        // The command runs with LC_ALL=C: strerror(EEXIST) is English whatever the machine's locale.
        if completed.result.standardError.contains("File exists") {
            if attempt > 1 {
                await note("\(folder) was made by an earlier attempt of this run's step \(step.kind.rawValue); it is used again")
                return
            }
            throw StepFailure(
                "the staging dir exists already (\(completed.failureDescription)): crplan stages each run in a new folder "
                    + "`<imageDir>/<run id>` and refuses one that exists, since whatever it holds would be sent and unpacked as root; "
                    + "find out who made it, remove it, or choose another imageDir"
            )
        }
        throw StepFailure(completed.failureDescription)
    }

    /// Checks the step's `freshStagingDir` checks on the bound step: the
    /// staging dir, as it will be made, is outside the Docker data roots
    /// and the system folders (the lint's rule, on the value of this run).
    func checkStagingDir(_ bound: Step) throws {
        for check in bound.checks {
            guard case .freshStagingDir(let path, let homes) = check else { continue }
            let staging = try literal(path, "the staging dir")
            let homeTexts = try homes.map { try literal($0, "a Docker data root") }
            guard staging.hasPrefix("/"), PathPolicy.nonCanonicalOffset(staging, isStart: true, isEnd: true) == nil,
                  !PathBytes.components(staging).contains("..") else {
                throw StepFailure("the staging dir \(staging) is not a normalised absolute path; crplan stages only in one it can judge")
            }
            if let problem = PathPolicy.stagingProblem(staging, complete: true, dockerHomes: homeTexts) {
                throw StepFailure("the staging dir \(staging) is \(problem): choose an imageDir of its own, e.g. /var/lib/crplan/staging")
            }
        }
    }

    /// Runs the step's `realpath` of the staging dir and the Docker data
    /// roots (on the side that makes the folder) and refuses a staging dir
    /// whose real path is in or below a data root (as written or resolved)
    /// or a system folder: imageDir's path may hold a link the lint cannot see.
    func checkStagingRealPath(at index: Int) async throws {
        let command = try bound().commands[index]
        let written = command.literalArgv.map { Array($0.drop { $0 != "--" }.dropFirst()) } ?? []
        let completed = try await runChecked(at: index)
        let lines = completed.result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let printed = lines.last == "" ? Array(lines.dropLast()) : lines
        guard !completed.result.standardOutputTruncated, !written.isEmpty, printed.count == written.count,
              printed.allSatisfy({ $0.hasPrefix("/") && $0.utf8.count <= ContainerFacts.maximumPathLength }) else {
            throw StepFailure("`\(ShellQuoting.line(completed.invocation.argv))` printed `\(completed.result.standardOutput.prefix(200))`, "
                + "not one absolute path per argument")
        }
        let staging = printed[0]
        let homes = Array(written.dropFirst()) + Array(printed.dropFirst())
        if let problem = PathPolicy.stagingProblem(staging, complete: true, dockerHomes: homes) {
            throw StepFailure("the staging dir \(written[0]) is really \(staging) (a link in its path), which is \(problem): "
                + "choose an imageDir of its own whose path holds no link into a Docker data root or a system folder")
        }
    }

    /// True when a failed docker command said the object does not exist.
    static func saysNoSuch(_ result: CommandResult) -> Bool {
        !result.status.isSuccess && (result.standardError.contains("No such container") || result.standardError.contains("No such object")
            || result.standardError.contains("No such image"))
    }
}
