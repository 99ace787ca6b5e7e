/// `pre-dump-<n>`: `criu pre-dump` into its folder of the image dir,
/// created 0700. Succeeds when criu exits 0 and its log says `Pre-dumping
/// finished successfully`. The container keeps running either way (a
/// pre-dump never stops it), so a failure needs no undo, and an
/// interrupted pre-dump is simply run again; its images are kept.
struct PreDumpStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let facts = try context.requireFacts()
        let folder = try context.path(\.imageDir, "pre-dump folder")
        try await host.makeDirectory(at: folder, mode: 0o700)
        let run = try await context.runCommands()
        let logPath = try context.path(\.log, "pre-dump log")
        let log = try await CheckpointImages.log(logPath, host: host)
        let finished = CheckpointImages.says(log, StepCheck.preDumpFinished)
        if run.succeeded, finished {
            return ["preDumpDir": folder, "preDumpLog": logPath]
        }
        let what = run.failureDescription.map { "criu pre-dump failed: \($0)" }
            ?? "criu pre-dump exited 0 but \(logPath) does not say `\(StepCheck.preDumpFinished)`"
        let running = await host.process(facts.pid) != nil
        throw StepFailure(LogExcerpt.describe(what, logPath: logPath, text: log), notes: [
            running
                ? "a pre-dump never stops the container: \(facts.name) (\(facts.id)) still runs as pid \(facts.pid)"
                : "the container's init (pid \(facts.pid)) is no longer running: check `docker ps -a`",
            "the pre-dump's images and log in \(folder) are kept for diagnosis",
        ])
    }
}
