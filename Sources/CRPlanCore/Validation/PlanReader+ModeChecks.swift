extension PlanReader {
    /// Checks between fields: what `mode` and `operation` make meaningless.
    /// (Fields inside `criu` and `restore` are checked by their readers.)
    mutating func checkMode(_ fields: SectionFields) {
        checkLeaveRunning()
        if mode == .native { checkNative(fields) }
    }

    /// `leaveRunning` keeps the dumped processes running, so a restore in
    /// place meets the originals (and a roundtrip waits forever for the exit).
    private mutating func checkLeaveRunning() {
        // A migrate with leaveRunning is a copy: the source keeps running on its own engine.
        guard operation != .checkpoint, operation != .migrate, let scalar = leaveRunning else { return }
        let why = operation == .restore
            ? "a restore-only plan restores a container that a checkpoint left running, so its processes would clash"
            : "the container keeps running after the dump, so the roundtrip's restore would clash with it"
        context.error(
            .restoreLeaveRunning, at: scalar.location,
            "`criu.leaveRunning: true` cannot be used with `operation: \(operation.rawValue)`: \(why)",
            hint: "use `operation: checkpoint` to keep the container running, or remove `leaveRunning`"
        )
    }

    /// Native mode: Docker drives CRIU, so crplan's image directory, mount
    /// and storage settings do not apply.
    private mutating func checkNative(_ fields: SectionFields) {
        // Without `restore.checkpoint` the Docker checkpoint is named after the plan.
        if !namesCheckpoint, let scalar = nameScalar, PlanNameRule.problem(with: scalar.value) == nil,
           !ContainerReference.isDockerName(Array(scalar.value.utf8)) {
            context.error(
                .invalidCheckpointName, at: scalar.location,
                "native mode names the Docker checkpoint after the plan, and `\(shown(scalar.value))` is too short for a checkpoint name (at least 2 characters)",
                hint: "set `restore.checkpoint`, or give the plan a longer name"
            )
        }
        // A migrate, and a checkpoint with `archive`, stage their checkpoint in `imageDir`;
        // a restore from an archive unpacks it there, refuses extMounts and names its engine's driver in `storage`.
        if restoresArchive { return }
        // A migrate, and a checkpoint with `archive`, stage their checkpoint in `imageDir`.
        if !stages, let entry = fields.entry(TopLevelKey.imageDir) {
            context.warning(
                .nativeImageDir, at: entry.key.location,
                "native mode ignores `imageDir`: Docker keeps native checkpoints in its own directory, because the daemon refuses a custom `--checkpoint-dir` on start",
                hint: "remove `imageDir`, or use `mode: external`"
            )
        }
        for key in [TopLevelKey.extMounts, .storage] {
            guard let entry = fields.entry(key) else { continue }
            context.warning(
                .nativeIgnoredField, at: entry.key.location,
                "native mode ignores `\(entry.key.value)`: Docker handles the container's mounts and root filesystem itself",
                hint: "remove it, or use `mode: external`"
            )
        }
    }
}
