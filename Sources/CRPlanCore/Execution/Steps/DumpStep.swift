/// `dump`: `criu dump` with the compiled argv into an image dir created
/// 0700. Succeeds only when criu exits 0, `stats-dump` exists and dump.log
/// says `Dumping finished successfully`. Never overwrites a complete
/// checkpoint. A failed dump leaves the container running (CRIU resumes
/// the tasks); a successful one (without leave-running) leaves the images
/// as the only copy of the workload: a point of no return.
struct DumpStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let facts = try context.requireFacts()
        let directory = try context.path(\.imageDir, "image dir")
        if try await CheckpointImages.isComplete(directory, host: host) {
            throw StepFailure(
                "\(directory) already holds a complete checkpoint; crplan never overwrites one: move it away, choose another imageDir, "
                    + "or pass --keep-existing (the inspect step then keeps it under a new name)"
            )
        }
        try await host.makeDirectory(at: directory, mode: 0o700)
        try await context.progress(["imageDir": directory, "pid": String(facts.pid)])

        let run = try await context.runCommands()
        let logPath = try context.path(\.log, "dump log")
        let log = try await CheckpointImages.log(logPath, host: host)
        let logFinished = CheckpointImages.says(log, StepCheck.dumpFinished)
        let hasStats = try await host.fileExists(directory + "/" + ImageDirLayout.statsDump)
        if run.succeeded, logFinished, hasStats {
            return ["imageDir": directory, "dumpLog": logPath, "pid": String(facts.pid)]
        }

        let what: String
        if let failed = run.failureDescription {
            what = "criu dump failed: \(failed)"
        } else if !logFinished {
            what = "criu dump exited 0 but \(logPath) does not say `\(StepCheck.dumpFinished)`"
        } else {
            what = "criu dump exited 0 but wrote no \(directory)/\(ImageDirLayout.statsDump)"
        }
        let message = LogExcerpt.describe(what, logPath: logPath, text: log)
        if await host.process(facts.pid) != nil {
            throw StepFailure(message, notes: [
                "the dump failed and CRIU resumed the container's processes: container \(facts.name) (\(facts.id)) is still running (pid \(facts.pid))",
                "the incomplete images in \(directory) and the log are kept for diagnosis",
            ])
        }
        // The container's init is gone: the dump may have completed after all.
        // Undo nothing; the images may be the only copy of the workload.
        throw StepFailure(message, irreversible: hasStats, notes: [
            "the container's init (pid \(facts.pid)) is no longer running: check `docker ps -a` and \(logPath); "
                + "the images in \(directory) are kept and may be the only copy of the workload",
        ])
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let host = context.host
        let facts = try context.requireFacts()
        let directory = try context.record?.outputs["imageDir"] ?? context.path(\.imageDir, "image dir")
        let pid = context.record?.outputs["pid"].flatMap { Int($0) } ?? facts.pid
        let logPath = try context.path(\.log, "dump log")
        let log = try await CheckpointImages.log(logPath, host: host)
        if CheckpointImages.says(log, StepCheck.dumpFinished), try await CheckpointImages.isComplete(directory, host: host) {
            return .done(
                ["imageDir": directory, "dumpLog": logPath, "pid": String(pid)],
                reason: "dump.log says the dump finished and the images are complete"
            )
        }
        if let process = await host.process(pid), context.runsContainerCommand(process) != false {
            return .rerun("the dump did not finish and the container still runs as pid \(pid)")
        }
        return .operatorNeeded(
            "the dump was interrupted: \(logPath) does not say it finished (or the images are incomplete) and the container's "
                + "init pid \(pid) is gone. The images in \(directory) are kept; check the log and `docker ps -a` before doing anything"
        )
    }

    func rollForward(_ context: StepContext, explicit: Bool) -> RollForward {
        let directory = context.outputs(of: .dump)["imageDir"] ?? (try? context.path(\.imageDir, "image dir")) ?? "the image dir"
        return RollForward(
            note: "the dump succeeded: the checkpoint in \(directory) is now the only copy of the workload (CRIU stopped the container's "
                + "processes), so nothing before it is undone and the images are never deleted; "
                + (explicit ? "restore it with a restore plan for \(directory) or by hand (criu restore)" : "resume the run to restore it, or restore it by hand"),
            next: explicit ? nil : NextCommand(.resume, "to restore the checkpoint")
        )
    }
}
