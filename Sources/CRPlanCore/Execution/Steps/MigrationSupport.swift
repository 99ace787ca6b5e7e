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

    /// True when a failed docker command said the object does not exist.
    static func saysNoSuch(_ result: CommandResult) -> Bool {
        !result.status.isSuccess && (result.standardError.contains("No such container") || result.standardError.contains("No such object")
            || result.standardError.contains("No such image"))
    }
}
