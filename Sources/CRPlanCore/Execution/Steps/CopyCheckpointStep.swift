/// `copy-checkpoint` (migrate): the staged checkpoint copied where the
/// target engine looks for it (printed `mkdir` and `cp` on the target).
struct CopyCheckpointStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let run = try await context.runCommands()
        if let failure = run.failureDescription {
            throw StepFailure("copying the checkpoint to the target failed: \(failure)")
        }
        return ["copied": "true"]
    }
}
