/// `capture-changes` (migrate): the source's file changes after the
/// checkpoint, as its engine's printed `docker diff` reports them (bounded,
/// every path checked to stay inside a root): the added and changed paths
/// go, one a line, to the list its `tar` archives from where the writes are
/// (overlay upper dir, vfs root), after the folders that hold a deleted path
/// and the deleted folders made again (`OverlayDeletions.archiveList`), so an
/// overlay2 target gets them with the source's owner and mode; the deleted
/// ones (and which of them were made again), and the source root's
/// mode from its printed `stat`, are journaled with the facts, which bind
/// apply-changes on the target. A copy's source is unpaused last. Reruns safely.
struct CaptureChangesStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let bound = try context.bound()
        guard let diffIndex = bound.commands.firstIndex(where: { $0.output == .fileChanges }),
              let modeIndex = bound.commands.firstIndex(where: { $0.output == .rootMode }),
              let listTemplate = bound.paths.changeList else {
            throw StepFailure("step capture-changes has no docker diff, stat or change list (a crplan bug: please report it)")
        }
        let diff = try await context.runChecked(at: diffIndex)
        guard !diff.result.standardOutputTruncated else {
            throw StepFailure("the source's docker diff printed more than crplan reads: too many changed files to migrate")
        }
        let changes: FileChanges
        do {
            changes = try DeletedPaths.changes(dockerDiff: diff.result.standardOutput)
        } catch {
            throw StepFailure("`\(ShellQuoting.line(diff.invocation.argv))`: \(error.description)")
        }
        let mode = try await context.runChecked(at: modeIndex).result.standardOutput.trimmingWhitespace
        guard (3...4).contains(mode.count), mode.allSatisfy({ ("0"..."7").contains($0) }) else {
            throw StepFailure("stat printed `\(mode.prefix(20))` for the source's root, not an octal mode")
        }
        let list = try context.literal(listTemplate, "the list of changed files")
        let text = OverlayDeletions.archiveList(changes).map { "./" + $0 + "\n" }.joined()
        try await context.host.writeFileAtomically(at: list, contents: Array(text.utf8), mode: 0o600)
        for index in bound.commands.indices where index != diffIndex && index != modeIndex {
            try await context.runChecked(at: index)
        }
        try await context.rebindFacts(source: "capture-changes") {
            $0.deletedPaths = changes.deleted
            $0.recreatedPaths = OverlayDeletions.recreated(changes)
            $0.rootMode = mode
        }
        return ["deletedFiles": String(changes.deleted.count), "changedFiles": String(changes.addedOrChanged.count), "rootMode": mode]
    }
}
