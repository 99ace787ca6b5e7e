extension StepFactory {
    /// `dump`: `criu dump` as the CRIU wiki's Docker External page runs it,
    /// flag for flag, then the optional flags and `criu.extraArgs`.
    func dump(after previous: StepKind) -> Step {
        let criu = plan.criu
        var argv: [Argument] = [
            .value(criu.binary), "dump", "-o", .value(Template(literal: ImageDirLayout.dumpLog)), criuLogLevel,
            "-t", .value(.variable(.containerPid)),
            "-D", .value(plan.imageDir),
        ]
        argv += dumpOptions(leaveRunning: criu.leaveRunning)
        if let preDump = criu.preDump {
            // Relative to -D, as CRIU wants: the last pre-dump's folder.
            argv += ["--prev-images-dir", .value(Template(literal: ImageDirLayout.preDumpFolder(preDump.iterations))), "--track-mem"]
        }
        argv += extraArgs
        return Step(
            kind: .dump,
            summary: criu.leaveRunning
                ? "Checkpoint the container's process tree into the image dir with CRIU, leaving it running"
                : "Checkpoint the container's process tree into the image dir with CRIU; the tasks exit and the images become the only copy of the workload",
            dependsOn: [previous],
            commands: [
                CommandTemplate(purpose: "checkpoint the container with criu dump", arguments: argv, workingDirectory: plan.imageDir),
            ],
            produces: [plan.imageDir, imageFile(ImageDirLayout.dumpLog), imageFile(ImageDirLayout.statsDump)],
            undo: criu.leaveRunning
                ? .nothing : .irreversible("the checkpoint images are the only copy of the workload; roll forward with resume"),
            pointOfNoReturn: !criu.leaveRunning,
            paths: StepPaths(imageDir: plan.imageDir, log: imageFile(ImageDirLayout.dumpLog), measuredImages: plan.imageDir),
            timeout: dumpTimeout
        )
    }

    /// The options `criu dump` and `criu pre-dump` share, in the wiki's
    /// order: the root, the external mounts, then the plan's flags.
    func dumpOptions(leaveRunning: Bool) -> [Argument] {
        let criu = plan.criu
        var argv: [Argument] = ["--root", .value(rootfs)]
        for mount in plan.extMounts {
            // At dump the key is the mount point inside the container, the value is recorded in the image.
            argv += ["--ext-mount-map", .value(Template(literal: mount.path + ":" + mount.dump))]
        }
        argv.append(.cgroupExtMounts(.dump))
        if criu.manageCgroups { argv.append("--manage-cgroups") }
        if criu.evasiveDevices { argv.append("--evasive-devices") }
        if leaveRunning { argv.append("--leave-running") }
        if criu.tcpEstablished { argv.append("--tcp-established") }
        if criu.shellJob { argv.append("--shell-job") }
        if criu.fileLocks { argv.append("--file-locks") }
        return argv
    }
}
