extension PlanReader {
    /// Checks between fields: what `mode` and `operation` make meaningless.
    mutating func checkMode(_ fields: SectionFields) {
        checkLeaveRunning(fields)
        switch mode {
        case .native: checkNative(fields)
        case .external: checkExternal(fields)
        }
    }

    /// `leaveRunning` keeps the dumped processes running, so a restore in
    /// place meets the originals (and a roundtrip waits forever for the exit).
    private mutating func checkLeaveRunning(_ fields: SectionFields) {
        guard operation != .checkpoint,
              case .mapping(let criu)? = fields.value("criu"),
              let entry = criu.entries.last(where: { $0.key.value == "leaveRunning" }),
              case .scalar(let scalar) = entry.value, scalar.style == .plain,
              withBytes(of: scalar.value, PlainScalarResolver.coreBoolValue) == true else { return }
        let why = operation == .restore
            ? "a restore-only plan restores a container that a checkpoint left running, so its processes would clash"
            : "the container keeps running after the dump, so the roundtrip's restore would clash with it"
        context.error(
            .restoreLeaveRunning, at: scalar.location,
            "`criu.leaveRunning: true` cannot be used with `operation: \(operation.rawValue)`: \(why)",
            hint: "use `operation: checkpoint` to keep the container running, or remove `leaveRunning`"
        )
    }

    /// Native mode: Docker drives CRIU, so crplan's CRIU, mount and storage
    /// settings do not apply (`leaveRunning` does: `docker checkpoint create --leave-running`).
    private mutating func checkNative(_ fields: SectionFields) {
        if let entry = fields.entry("imageDir") {
            context.warning(
                .nativeImageDir, at: entry.key.location,
                "native mode ignores `imageDir`: Docker keeps native checkpoints in its own directory, because the daemon refuses a custom `--checkpoint-dir` on start",
                hint: "remove `imageDir`, or use `mode: external`"
            )
        }
        if case .mapping(let criu)? = fields.value("criu") {
            for entry in criu.entries where entry.key.value != "leaveRunning" && Self.criuKeys.contains(entry.key.value) {
                context.warning(
                    .nativeIgnoredField, at: entry.key.location,
                    "native mode ignores `criu.\(entry.key.value)`: Docker runs CRIU with its own options",
                    hint: "remove it, or use `mode: external`"
                )
            }
        }
        for key in ["extMounts", "storage"] {
            guard let entry = fields.entry(key) else { continue }
            context.warning(
                .nativeIgnoredField, at: entry.key.location,
                "native mode ignores `\(key)`: Docker handles the container's mounts and root filesystem itself",
                hint: "remove it, or use `mode: external`"
            )
        }
    }

    private mutating func checkExternal(_ fields: SectionFields) {
        guard case .mapping(let restore)? = fields.value("restore"),
              let entry = restore.entries.last(where: { $0.key.value == "checkpoint" }) else { return }
        context.warning(
            .externalIgnoredField, at: entry.key.location,
            "external mode ignores `restore.checkpoint`: it names a Docker checkpoint, which only native mode uses",
            hint: "remove it, or use `mode: native`"
        )
    }
}
