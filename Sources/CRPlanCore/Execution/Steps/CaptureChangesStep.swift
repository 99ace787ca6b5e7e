/// `capture-changes` (migrate): the source's file changes after the
/// checkpoint: its printed `find` lists the overlay whiteouts (which the tar
/// leaves out), its `tar` archives the added and changed files in the
/// staging dir, and its `docker diff` names the deleted files (`D` lines,
/// also the old files a deleted and re-created directory hid), read from
/// the command's output (bounded, every path checked to stay inside a root)
/// and journaled with the facts, which bind apply-changes' removal on the
/// target. Reruns safely.
struct CaptureChangesStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let run = try await context.runCommands()
        if let failure = run.failureDescription {
            throw StepFailure("capturing the source's file changes failed: \(failure)")
        }
        let commands = try context.bound().commands
        guard let index = commands.firstIndex(where: { $0.output == .fileChanges }),
              let diff = run.completed.first(where: { $0.purpose == commands[index].purpose }) else {
            throw StepFailure("step capture-changes ran no docker diff (a crplan bug: please report it)")
        }
        guard !diff.result.standardOutputTruncated else {
            throw StepFailure("the source's docker diff printed more than crplan reads: too many changed files to migrate")
        }
        let deleted: [String]
        do {
            deleted = try DeletedPaths.parse(dockerDiff: diff.result.standardOutput)
        } catch {
            throw StepFailure("`\(ShellQuoting.line(diff.invocation.argv))`: \(error.description)")
        }
        try await context.rebindFacts(source: "capture-changes") { $0.deletedPaths = deleted }
        return ["deletedFiles": String(deleted.count)]
    }
}
