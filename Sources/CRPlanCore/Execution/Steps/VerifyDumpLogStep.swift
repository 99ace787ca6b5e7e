/// `verify-dump-log`: the dump log must say `Dumping finished successfully`;
/// otherwise the failure shows the `Error (` lines with context and the path.
struct VerifyDumpLogStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let directory = try context.outputs(of: .dump)["imageDir"] ?? context.imageDirectory()
        let logPath = context.outputs(of: .dump)["dumpLog"] ?? directory + "/" + ImageDirLayout.dumpLog
        let log = try await CheckpointImages.log(logPath, host: context.host)
        guard let log, log.contains(CheckpointImages.dumpFinished) else {
            throw StepFailure(LogExcerpt.describe("the dump log does not say `\(CheckpointImages.dumpFinished)`", logPath: logPath, text: log))
        }
        return ["dumpLog": logPath]
    }
}
