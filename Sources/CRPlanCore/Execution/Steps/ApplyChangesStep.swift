/// `apply-changes` (migrate): on the target, remove what the source
/// deleted (`find -P` walking the root, never entering a link), unpack the
/// tar; on an overlay2 target (whose root here is the upper dir of a
/// container that never ran) make the whiteouts and opaque folders
/// (`OverlayDeletions`) and count them; and give the root the mode CRIU
/// checks. Every command is printed and runs on the target's host; reruns
/// safely (the first `find` removes an earlier attempt's whiteouts).
struct ApplyChangesStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        let bound = try context.bound()
        guard let countIndex = bound.commands.firstIndex(where: { $0.output == .overlayDeletionCount }) else {
            throw StepFailure("step apply-changes has no count of whiteouts (a crplan bug: please report it)")
        }
        for index in bound.commands.indices {
            let completed = try await context.runChecked(at: index)
            guard index == countIndex else { continue }
            let deleted = facts.deletedPaths ?? []
            let recreated = facts.recreatedPaths ?? []
            let expected = facts.target?.driver == "overlay2" ? OverlayDeletions.expectedCount(deleted: deleted, recreated: recreated) : 0
            let printed = completed.result.standardOutput
            guard !completed.result.standardOutputTruncated, printed.allSatisfy({ $0 == "x" }), printed.count == expected else {
                throw StepFailure("the target's upper dir holds \(printed.filter { $0 == "x" }.count) of the \(expected) whiteouts and opaque "
                    + "folders crplan made for the source's deletions: a folder holding a deleted file is not a real directory there "
                    + "(the source made it a link?) or mknod/setfattr failed; see the step's logs")
            }
        }
        return ["applied": "true"]
    }
}
