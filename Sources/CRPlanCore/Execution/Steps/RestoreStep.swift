/// `restore`: `criu restore -d` with the compiled argv. Never starts a
/// second copy: a pidfile naming a live process of the container stops it.
/// `criu restore --pidfile` opens the file O_EXCL, so a stale pidfile from an
/// earlier attempt would make the restore fail and kill what it restored:
/// it is proved stale (no live process) and moved aside first. Success =
/// exit 0 and restore.log says `Restore finished successfully`. A
/// successful restore is a point of no return: it is never undone.
struct RestoreStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let facts = try context.requireFacts()
        let directory = try context.path(\.imageDir, "image dir")
        let criuPidfile = try context.path(\.criuPidfile, "criu pidfile")
        let planPidfile = try context.path(\.pidfile, "pidfile")

        for path in Set([criuPidfile, planPidfile]).sorted() {
            guard let pid = try await context.readPid(at: path), let process = await host.process(pid) else { continue }
            let matches = context.runsContainerCommand(process)
            if matches == false { continue }  // a recycled pid: the file is stale
            let what = matches == true ? "runs the container's command" : "is alive (crplan cannot prove it is not the workload)"
            throw StepFailure(
                "\(path) names pid \(pid), which \(what): the workload may already run, and crplan never restores a second copy; "
                    + "check that process, and remove \(path) if it is not the workload"
            )
        }
        let progress = ["criuPidfile": criuPidfile, "imageDir": directory]
        if try await host.fileType(at: criuPidfile) != nil {
            let aside = try await context.moveAside(criuPidfile, label: "stale", key: "staleCriuPidfileMovedTo", progress: progress)
            await context.note("moved the stale criu pidfile \(criuPidfile) (no live process) aside to \(aside): criu opens it O_EXCL")
        } else {
            try await context.progress(progress)
        }

        // `--manage-cgroups` re-creates the container's cgroup directories that
        // Docker removed; after a failed restore they are empty leftovers.
        var missingCgroups: [String] = []
        for mount in facts.cgroupMounts where try await host.fileType(at: mount.hostPath) == nil {
            missingCgroups.append(mount.hostPath)
        }

        let run = try await context.runCommands()
        let logPath = try context.path(\.log, "restore log")
        let log = try await CheckpointImages.log(logPath, host: host)
        let logFinished = CheckpointImages.says(log, StepCheck.restoreFinished)
        let pid = try await context.readPid(at: criuPidfile)
        let alive = if let pid { await host.process(pid) != nil } else { false }
        if run.succeeded, logFinished, let pid, alive {
            return ["pid": String(pid), "criuPidfile": criuPidfile, "restoreLog": logPath, "imageDir": directory]
        }

        let what = run.failureDescription.map { "criu restore failed: \($0)" }
            ?? (logFinished ? "criu restore finished but the pid in \(criuPidfile) is not alive"
                : "criu restore exited 0 but \(logPath) does not say `\(StepCheck.restoreFinished)`")
        let message = LogExcerpt.describe(what, logPath: logPath, text: log)
        if let pid, alive {
            throw StepFailure(message, irreversible: true, notes: [
                "pid \(pid) from \(criuPidfile) is alive: the workload may run; crplan never kills it and undoes nothing before it. "
                    + "Check it, then resume the run: it adopts the process if it is the container's",
            ], next: [NextCommand(.resume, "to adopt the restored process once you checked it")])
        }
        var notes = [
            "a failed restore kills the tasks it restored: nothing of container \(facts.name) runs; the checkpoint images in \(directory) are kept",
        ]
        if let leftover = await Self.removeCgroupsCreatedByCRIU(missingCgroups, host: host) {
            notes.append(leftover)
        }
        throw StepFailure(message, notes: notes)
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let host = context.host
        let directory = try context.record?.outputs["imageDir"] ?? context.path(\.imageDir, "image dir")
        guard let criuPidfile = context.record?.outputs["criuPidfile"] else {
            return .rerun("criu restore was not started")
        }
        let logPath = try context.path(\.log, "restore log")
        if let pid = try await context.readPid(at: criuPidfile), let process = await host.process(pid) {
            if context.runsContainerCommand(process) == false {
                return .operatorNeeded("\(criuPidfile) names pid \(pid), which is alive but does not run the container's command; check it by hand")
            }
            return .done(
                ["pid": String(pid), "criuPidfile": criuPidfile, "restoreLog": logPath, "imageDir": directory],
                reason: "the restored process \(pid) from \(criuPidfile) is alive"
            )
        }
        let log = try await CheckpointImages.log(logPath, host: host)
        if CheckpointImages.says(log, StepCheck.restoreFinished) {
            return .operatorNeeded(
                "\(logPath) says the restore finished, but no process from \(criuPidfile) is alive: the workload exited after it "
                    + "was restored. Restoring again would start it from the old checkpoint; decide by hand"
            )
        }
        return .rerun("the restore did not finish and no restored process is alive (a failed restore kills what it restored)")
    }

    func rollForward(_ context: StepContext, explicit: Bool) -> RollForward {
        let pid = context.outputs(of: .restore)["pid"].map { " as pid \($0)" } ?? ""
        return RollForward(
            note: "the restore succeeded: the workload runs again\(pid); crplan never undoes a restore by killing it"
                + (explicit ? "; stop it by hand if it must not run" : ""),
            next: explicit ? nil : NextCommand(.resume, "to finish the remaining steps")
        )
    }

    /// Removes the cgroup directories a failed `criu restore` created (they
    /// did not exist before it ran); a note names those that could not go.
    static func removeCgroupsCreatedByCRIU(_ paths: [String], host: any Host) async -> String? {
        var left: [String] = []
        for path in paths where (try? await host.fileType(at: path)) == .directory {
            do {
                try await host.removeEmptyDirectory(at: path)
            } catch {
                left.append("\(path) (\(error))")
            }
        }
        guard !left.isEmpty else { return nil }
        return "the failed restore left cgroup directories crplan could not remove: " + left.joined(separator: ", ")
    }
}
