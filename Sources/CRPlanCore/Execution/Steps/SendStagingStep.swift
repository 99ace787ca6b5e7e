/// `send-staging` (migrate over ssh): the staging dir made on the target
/// machine, then streamed there (`tar | zstd` here into `tar --zstd
/// --extract` there through ssh: one pipeline, each stage on its side's
/// host). The target's staging dir must be new (`mkdir` without
/// `--parents`); a rerun of this run's step finds it made by the attempt
/// before, and extracting the same files again is harmless, so it reruns.
struct SendStagingStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let commands = try context.bound().commands
        var index = 0
        while index < commands.count, commands[index].output != .pipedToNext {
            if commands[index].output == .stagingRealPath {
                try await context.checkStagingRealPath(at: index)
            } else if StepContext.makesStagingDir(commands[index]) {
                try await context.makeStagingDir(at: index)
            } else {
                try await context.runChecked(at: index)
            }
            index += 1
        }
        guard index < commands.count else {
            throw StepFailure("step send-staging has no stream to send (a crplan bug: please report it)")
        }
        let sent = try await context.runPipeline(Array(commands[index...]), index: index)
        guard sent.result.status.isSuccess else {
            throw StepFailure("sending the staging dir to the target machine failed: \(sent.failureDescription)")
        }
        return ["sent": "true"]
    }
}

/// `verify-staging` (migrate over ssh): every staged file's sha256,
/// computed here, checked there (`sha256sum --check --strict`); a missing,
/// changed or unreadable file fails the step before anything is applied.
/// Read-only, so it reruns.
struct VerifyStagingStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let run = try await context.runCommands()
        if let failure = run.failureDescription {
            throw StepFailure("the staging dir on the target machine does not match this machine's (sha256): \(failure)")
        }
        return ["verified": "true"]
    }
}
