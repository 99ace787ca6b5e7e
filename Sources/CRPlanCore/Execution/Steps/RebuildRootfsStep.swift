/// `rebuild-rootfs`: mount the container's root again for restore, with the
/// compiled mount commands of the driver's alternative (overlay from the
/// saved layers, aufs from the branch list, vfs bound onto itself). The
/// commands' own guards say what "mounted as wanted" means (file-system
/// type and the mount options the command passes), so the step is
/// idempotent: a root already mounted as wanted is left alone (and is not
/// crplan's to unmount); `mounted` in the outputs says whether crplan mounted it.
struct RebuildRootfsStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let rootfs = try context.requireFacts().rootfs
        let wanted = try mountGuard(context)
        if let entry = try await host.mountEntry(at: rootfs) {
            guard wanted.isSatisfied(by: entry) == true else {
                throw StepFailure(
                    "\(rootfs) is already mounted (\(entry.fileSystemType) from \(entry.source)) but not as the container's root: "
                        + "unmount it or check the plan"
                )
            }
            // Still crplan's if an earlier attempt mounted it and undoing that failed.
            let ours = context.record?.outputs["mounted"] == "true"
            await context.note("\(rootfs) is already mounted as wanted; leaving it as it is")
            return ["rootfs": rootfs, "mounted": ours ? "true" : "false"]
        }
        try await context.progress(["rootfs": rootfs, "mountedBefore": "false"])
        let run = try await context.runCommands()
        let entry = try await host.mountEntry(at: rootfs)
        if entry != nil {
            try await context.progress(["mounted": "true"])
        }
        if let failed = run.failureDescription {
            throw StepFailure("cannot mount the container's root \(rootfs): \(failed)")
        }
        guard let entry else {
            throw StepFailure("the mount commands succeeded but \(rootfs) is not a mount point")
        }
        guard wanted.isSatisfied(by: entry) == true else {
            throw StepFailure("\(rootfs) is mounted (\(entry.fileSystemType) from \(entry.source)) but not with the options the mount command passed")
        }
        return ["rootfs": rootfs, "mounted": "true"]
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let rootfs = try context.requireFacts().rootfs
        let crplanWasMounting = context.record?.outputs["mountedBefore"] == "false"
        guard let entry = try await context.host.mountEntry(at: rootfs) else {
            return .rerun("\(rootfs) is not mounted")
        }
        guard try mountGuard(context).isSatisfied(by: entry) == true else {
            return .operatorNeeded("\(rootfs) is mounted (\(entry.fileSystemType) from \(entry.source)) but not as the container's root; unmount it by hand, then resume")
        }
        return .done(
            ["rootfs": rootfs, "mounted": crplanWasMounting ? "true" : "false"],
            reason: "mountinfo shows \(rootfs) mounted as wanted"
        )
    }

    /// The guard of the bound command that mounts the root.
    private func mountGuard(_ context: StepContext) throws -> CommandGuard {
        let rootfs = try context.requireFacts().rootfs
        for command in try context.bound().commands {
            for guardian in command.guards where guardian.mountTarget?.literalValue == rootfs {
                return guardian
            }
        }
        throw StepFailure("step rebuild-rootfs has no command that mounts \(rootfs) (a crplan bug: please report it)")
    }
}
