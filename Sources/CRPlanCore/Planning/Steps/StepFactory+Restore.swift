extension StepFactory {
    /// `restore`: `criu restore` as the CRIU wiki's Docker External page runs
    /// it, flag for flag, then `--pidfile` (a CRIU-only pidfile in the image
    /// dir, see `ImageDirLayout.criuRestorePidfile`) and `criu.extraArgs`.
    func restore(after previous: StepKind) -> Step {
        let criu = plan.criu
        let criuPidfile = imageFile(ImageDirLayout.criuRestorePidfile)
        let log = imageFile(ImageDirLayout.restoreLog)
        var argv: [Argument] = [
            .value(criu.binary), "restore", "-o", .value(Template(literal: ImageDirLayout.restoreLog)), criuLogLevel,
        ]
        if plan.restore.detach { argv.append("-d") }
        argv += ["-D", .value(plan.imageDir), "--root", .value(rootfs)]
        for mount in plan.extMounts {
            // At restore the key is the value recorded at dump, the value is the host source.
            argv += ["--ext-mount-map", .value(Template(segments: [.text(mount.dump + ":")] + mount.restore.segments))]
        }
        argv.append(.cgroupExtMounts(.restore))
        if criu.manageCgroups { argv.append("--manage-cgroups") }
        if criu.evasiveDevices { argv.append("--evasive-devices") }
        if criu.tcpEstablished { argv.append("--tcp-established") }
        if criu.shellJob { argv.append("--shell-job") }
        if criu.fileLocks { argv.append("--file-locks") }
        argv += ["--pidfile", .value(criuPidfile)]
        argv += extraArgs
        return Step(
            kind: .restore,
            summary: "Restore the process tree from the image dir with CRIU into the rebuilt root; "
                + "the restored tasks' parent is init, Docker still reports the container exited",
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "restore the container with criu restore",
                    arguments: argv,
                    guards: [.clearStaleFile(path: criuPidfile)],
                    workingDirectory: plan.imageDir
                ),
            ],
            inputs: [plan.imageDir],
            produces: [log, criuPidfile],
            checks: [.logContains(log: log, text: StepCheck.restoreFinished)],
            undo: .irreversible("the restored workload is live; never killed by rollback"),
            pointOfNoReturn: true,
            paths: StepPaths(
                imageDir: plan.imageDir, pidfile: plan.restore.pidfile, criuPidfile: criuPidfile, log: log, measuredImages: plan.imageDir
            ),
            timeout: restoreTimeout
        )
    }
}
