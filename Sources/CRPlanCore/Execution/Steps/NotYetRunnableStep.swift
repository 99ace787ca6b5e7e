/// The steps of `operation: migrate`, which this crplan compiles and prints
/// (`crplan plan`) but does not run yet: `Executor` refuses a migrate graph
/// before any side effect, and this behaviour fails any such step that
/// reaches it anyway, touching nothing.
struct NotYetRunnableStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        throw StepFailure("step \(context.step.kind.rawValue) of operation migrate is not supported by this crplan's executor yet; nothing was run")
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        .operatorNeeded("step \(context.step.kind.rawValue) of operation migrate is not supported by this crplan's executor yet")
    }
}
