/// `verify-dump-log`: the dump log must say `Dumping finished successfully`;
/// otherwise the failure shows the `Error (` lines with context and the path.
struct VerifyDumpLogStep: StepBehavior {
    /// It reads the log and nothing else; a resume reads it again.
    var changesNothing: Bool { true }

    func run(_ context: StepContext) async throws -> [String: String] {
        let logPath = try context.path(\.log, "dump log")
        let log = try await CheckpointImages.log(logPath, host: context.host)
        guard CheckpointImages.says(log, StepCheck.dumpFinished) else {
            throw StepFailure(LogExcerpt.describe("the dump log does not say `\(StepCheck.dumpFinished)`", logPath: logPath, text: log))
        }
        return ["dumpLog": logPath]
    }
}
