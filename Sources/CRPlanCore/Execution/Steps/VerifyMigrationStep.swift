/// `verify-migration` (migrate): the target runs the source's command
/// (Docker's `Path` and `Args` on the target equal the source's entrypoint
/// and command), and the source is stopped (a move) or still running (a copy).
/// A restore from an archive checks only the first.
struct VerifyMigrationStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        let target = try context.targetState(try await context.runCommand(at: 0))
        guard target.running, target.pid > 0 else {
            throw StepFailure("the target engine reports the migrated container `\(target.status)`, not running")
        }
        if let configuration = facts.configuration {
            let expected = configuration.entrypoint + configuration.command
            guard target.commandLine == expected else {
                throw StepFailure("the target container runs `\(ShellQuoting.line(target.commandLine))`, not the source's `\(ShellQuoting.line(expected))`")
            }
        }
        // A restore from an archive has no source engine to ask.
        if context.graph.operation == .restore { return ["targetPid": String(target.pid)] }
        let sourceQuery = try await context.runCommand(at: 1)
        let source = try await context.containerFacts(from: sourceQuery, reference: facts.id)
        let copy = context.graph.step(.checkpointCreate)?.checks.contains(.containerRunning) ?? false
        if copy, !source.running {
            throw StepFailure("a copy must leave the source running, but the source engine reports it `\(source.status)`")
        }
        if !copy, source.running {
            throw StepFailure("the source container runs again (pid \(source.pid)) while the target runs: two copies of the workload; stop one by hand")
        }
        return ["targetPid": String(target.pid), "sourceStatus": source.status]
    }
}
