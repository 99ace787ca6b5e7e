/// `check-memory-tracking`: runs the step's printed `criu check --feature
/// mem_dirty_track`; a non-zero exit refuses the plan with CRIU's reason
/// (on a kernel without soft-dirty bits: "Dirty tracking is OFF") before
/// any pre-dump or dump has frozen the container.
struct CheckMemoryTrackingStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let run = try await context.runCommands()
        guard let failure = run.failure else { return ["memoryTracking": "on"] }
        let container = (try? context.requireFacts()).map { "container \($0.name) (\($0.id)) still runs untouched" }
            ?? "the container was not touched"
        throw StepFailure(
            "this kernel does not track memory changes, which `criu.preDump` needs (CRIU's pre-dump relies on soft-dirty bits): "
                + failure.failureDescription + ". Nothing was frozen: " + container,
            notes: [
                "remove `criu.preDump` to checkpoint with one dump, or run the plan on a kernel built with CONFIG_MEM_SOFT_DIRTY",
            ]
        )
    }
}
