/// `apply-changes` (migrate): on the target, remove what the source
/// deleted (`find -P` walking the root, never entering a link), unpack the
/// tar, and give the root the mode CRIU checks. Every command is printed
/// and runs on the target's host; reruns safely.
struct ApplyChangesStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        if facts.target?.driver == "overlay2", let deleted = facts.deletedPaths, !deleted.isEmpty {
            // Removing a file from an overlay2 upper dir does not hide the image's copy: that needs a whiteout.
            throw StepFailure("the source deleted \(deleted.count) file(s) (first: /\(deleted[0])), which crplan cannot yet delete on an "
                + "overlay2 target (it would need whiteouts); migrate to a vfs engine, or keep those files in the source")
        }
        let run = try await context.runCommands()
        if let failure = run.failureDescription {
            throw StepFailure("applying the file changes to the target failed: \(failure)")
        }
        return ["applied": "true"]
    }
}
