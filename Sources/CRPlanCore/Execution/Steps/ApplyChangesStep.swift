/// `apply-changes` (migrate): on the target, remove what the source
/// deleted (`find -P` walking the root, never entering a link), unpack the
/// tar; on an overlay2 target (whose root here is the upper dir of a
/// container that never ran) make the whiteouts and opaque folders
/// (`OverlayDeletions`) and count them; and give the root the mode CRIU
/// checks. Every command is printed and runs on the target's host; a long
/// list of paths is several commands (`ArgumentBatches`), each printed, the
/// counts added up. Reruns safely (the first `find` removes an earlier
/// attempt's whiteouts).
struct ApplyChangesStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        let bound = try context.bound()
        // The count is one command per batch of paths (`ArgumentBatches`); their `x`s add up.
        let countIndices = Set(bound.commands.indices.filter { bound.commands[$0].output == .overlayDeletionCount })
        let deleted = facts.deletedPaths ?? []
        let recreated = facts.recreatedPaths ?? []
        let expected = facts.target?.driver == "overlay2" ? OverlayDeletions.expectedCount(deleted: deleted, recreated: recreated) : 0
        // A count that would select nothing is not spawned (`boundBatches`): then there is nothing to count.
        guard let lastCount = countIndices.max() ?? (expected == 0 ? -1 : nil) else {
            throw StepFailure("step apply-changes has no count of whiteouts (a crplan bug: please report it)")
        }
        var counted = 0
        var unreadable = false
        for index in bound.commands.indices {
            let completed = try await context.runChecked(bound.commands[index], at: index)
            guard countIndices.contains(index) else { continue }
            let printed = completed.result.standardOutput
            if completed.result.standardOutputTruncated || !printed.allSatisfy({ $0 == "x" }) { unreadable = true }
            counted += printed.filter { $0 == "x" }.count
            guard index == lastCount else { continue }
            guard !unreadable, counted == expected else {
                throw StepFailure("the target's upper dir holds \(counted) of the \(expected) whiteouts and opaque "
                    + "folders crplan made for the source's deletions: a folder holding a deleted file is not a real directory there "
                    + "(the source made it a link?) or mknod/setfattr failed; see the step's logs")
            }
        }
        return ["applied": "true"]
    }
}
