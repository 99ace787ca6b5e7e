/// `rebuild-rootfs`: mount the container's root again for restore, with the
/// compiled mount commands (overlay from the saved layers, aufs from the
/// branch list, vfs bound onto itself). Idempotent: a root already mounted
/// as wanted is left alone (and is not crplan's to unmount); `mounted`
/// in the outputs says whether crplan mounted it.
struct RebuildRootfsStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let facts = try context.requireFacts()
        let rootfs = facts.rootfs
        if let entry = try await host.mountEntry(at: rootfs) {
            guard MountExpectation.matches(entry, facts: facts) else {
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
        try await host.makeDirectory(at: rootfs, mode: 0o700)
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
        guard MountExpectation.matches(entry, facts: facts) else {
            throw StepFailure("\(rootfs) is mounted (\(entry.fileSystemType) from \(entry.source)) but not as the \(facts.driver) root the facts describe")
        }
        return ["rootfs": rootfs, "mounted": "true"]
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let facts = try context.requireFacts()
        let rootfs = facts.rootfs
        let crplanWasMounting = context.record?.outputs["mountedBefore"] == "false"
        guard let entry = try await context.host.mountEntry(at: rootfs) else {
            return .rerun("\(rootfs) is not mounted")
        }
        guard MountExpectation.matches(entry, facts: facts) else {
            return .operatorNeeded("\(rootfs) is mounted (\(entry.fileSystemType) from \(entry.source)) but not as the container's root; unmount it by hand, then resume")
        }
        return .done(
            ["rootfs": rootfs, "mounted": crplanWasMounting ? "true" : "false"],
            reason: "mountinfo shows \(rootfs) mounted as wanted"
        )
    }
}

/// Whether a mount at the root is the one the facts describe.
enum MountExpectation {
    static func matches(_ entry: MountEntry, facts: ContainerFacts) -> Bool {
        switch facts.driver {
        case "overlay", "overlay2":
            guard entry.fileSystemType == "overlay" else { return false }
            if let upper = facts.graphDriverData["UpperDir"], let mounted = entry.option("upperdir") {
                return upper == mounted
            }
            return true
        case "aufs":
            return entry.fileSystemType == "aufs"
        case "vfs":
            // The directory bound onto itself: any mount exactly there.
            return true
        default:
            return entry.fileSystemType == facts.driver
        }
    }
}
