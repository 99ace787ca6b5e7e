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
            } else if Self.checksReceivingFolder(commands[index]) {
                try await Self.checkReceivingFolder(context, at: index)
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

    /// The `stat` of the receiving folder (`env LC_ALL=C stat --format=…`).
    static func checksReceivingFolder(_ command: CommandTemplate) -> Bool {
        let words = command.arguments.compactMap { argument -> String? in
            guard case .value(let template) = argument else { return nil }
            return template.literalValue
        }
        return words.starts(with: ["env", "LC_ALL=C", "stat"])
    }

    /// What `stat --format='%u %a %F'` prints for the folder crplan made: root's, 0700, a directory.
    static let receivingFolderStatus = "0 700 directory"

    /// Runs the printed `stat` of the receiving folder and refuses anything
    /// but a directory of root's with mode 700 (a link, another owner, wider
    /// modes): a resume reuses the folder by name, and whatever another user
    /// could have prepared there would be unpacked into as root.
    static func checkReceivingFolder(_ context: StepContext, at index: Int) async throws {
        let completed = try await context.runCommand(at: index)
        let folder = try context.bound().commands[index].literalArgv?.last ?? "the receiving folder"
        guard completed.result.status.isSuccess else {
            throw StepFailure("cannot check \(folder) on the target machine: \(completed.failureDescription)")
        }
        let status = completed.result.standardOutput.trimmingWhitespace
        guard status == receivingFolderStatus else {
            throw StepFailure(
                "\(folder) on the target machine is `\(status.prefix(80))` (owner uid, mode, type), not a folder of root's with mode 700 "
                    + "as crplan makes it: crplan unpacks the staging dir into it as root only when nobody else could have prepared it; "
                    + "find out who changed it, remove it, and run the migration again")
        }
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
