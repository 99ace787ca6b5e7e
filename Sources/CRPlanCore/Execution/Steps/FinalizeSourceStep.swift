/// `finalize-source` (migrate, `target.source: remove`): `docker rm` of the
/// stopped source container; a source already gone counts as done.
struct FinalizeSourceStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let removed = try await context.runCommand(at: 0)
        if !removed.result.status.isSuccess, !StepContext.saysNoSuch(removed.result) {
            throw StepFailure("removing the source container failed: \(removed.failureDescription)")
        }
        return ["removed": "true"]
    }
}
