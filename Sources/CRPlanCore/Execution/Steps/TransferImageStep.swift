/// `transfer-image` (migrate): `docker save <image id> | docker load`
/// from the source engine to the target, as one pipeline on crplan's
/// machine (each stage through its side's command line), unless
/// check-target found the image there. By id, so no tag moves; images are
/// never removed.
struct TransferImageStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        if context.outputs(of: .checkTarget)["imagePresent"] == "true" {
            await context.note("the target engine already holds the image by id: nothing to transfer")
            return ["transferred": "false"]
        }
        let run = try await context.runCommands()
        if let failure = run.failureDescription {
            throw StepFailure("the image transfer failed: \(failure)")
        }
        return ["transferred": "true"]
    }
}
