extension StepFactory {
    /// `rebuild-rootfs`: mount the container's root again where it was, as
    /// `--root` for `criu restore` (the wiki's "restore prework"). One
    /// alternative per storage driver; with `storage.driver: auto` the
    /// executor picks it from the inspected (or saved) facts.
    func rebuildRootfs(after previous: StepKind) -> Step {
        let alternatives: [DriverAlternative]
        switch plan.storage.driver {
        case .auto:
            alternatives = [
                DriverAlternative(drivers: [.overlay2, .overlay], commands: overlayMount),
                DriverAlternative(drivers: [.aufs], commands: aufsMount),
                DriverAlternative(drivers: [.vfs], commands: vfsBind),
            ]
        case .overlay, .overlay2:
            alternatives = [DriverAlternative(drivers: [plan.storage.driver], commands: overlayMount)]
        case .aufs:
            alternatives = [DriverAlternative(drivers: [.aufs], commands: aufsMount)]
        case .vfs:
            alternatives = [DriverAlternative(drivers: [.vfs], commands: vfsBind)]
        }
        return Step(
            kind: .rebuildRootfs,
            summary: "Mount the container's root filesystem again at its old place for criu restore --root "
                + "(skipped when it is already mounted as wanted)",
            dependsOn: [previous],
            alternatives: alternatives,
            produces: [rootfs],
            undo: .unmount(rootfs)
        )
    }

    /// Docker's overlay2 driver removes the merged dir when it unmounts it.
    private var makeMountPoint: CommandTemplate {
        CommandTemplate(purpose: "create the mount point Docker removed", arguments: ["mkdir", "-p", .value(rootfs)])
    }

    /// `mount -t overlay overlay -o lowerdir=…,upperdir=…,workdir=… <merged>` from `GraphDriver.Data`.
    private var overlayMount: [CommandTemplate] {
        let options: Template = "lowerdir=${rootfs.lowerdir},upperdir=${rootfs.upperdir},workdir=${rootfs.workdir}"
        return [
            makeMountPoint,
            CommandTemplate(
                purpose: "mount the overlay root from the container's layers",
                arguments: ["mount", "-t", "overlay", "overlay", "-o", .value(options), .value(rootfs)],
                guards: [.skipIfMounted(target: rootfs, fsType: "overlay", options: options)]
            ),
        ]
    }

    /// `mount -t aufs -o br=<branches> none <mnt>`, branches top first, as the wiki shows.
    private var aufsMount: [CommandTemplate] {
        [
            makeMountPoint,
            CommandTemplate(
                purpose: "mount the aufs root from the container's branches",
                arguments: ["mount", "-t", "aufs", "-o", "br=${rootfs.branches}", "none", .value(rootfs)],
                guards: [.skipIfMounted(target: rootfs, fsType: "aufs", options: nil)]
            ),
        ]
    }

    /// vfs: nothing to mount, the directory is the root; CRIU's `--root`
    /// needs a mount point for pivot_root, so bind it onto itself.
    private var vfsBind: [CommandTemplate] {
        [
            CommandTemplate(
                purpose: "make the vfs root directory a mount point for criu's pivot_root",
                arguments: ["mount", "--bind", .value(rootfs), .value(rootfs)],
                guards: [.requireDirectory(path: rootfs), .skipIfMountPoint(path: rootfs)]
            ),
        ]
    }
}
