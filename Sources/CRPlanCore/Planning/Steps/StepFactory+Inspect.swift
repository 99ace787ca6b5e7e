extension StepFactory {
    /// The storage drivers whose root external C/R can rebuild.
    static let externalDrivers = ["aufs", "overlay", "overlay2", "vfs"]

    /// `inspect`: resolve the plan's reference to one container and read its
    /// facts. Before a dump the container must be running; before a
    /// restore-only run it must not be (Docker marked it exited at the dump).
    func inspect() -> Step {
        let reference = "`\(plan.container.value)`"
        let savesFacts = plan.mode == .external && plan.operation != .restore
        let summary: String
        var checks: [StepCheck]
        switch plan.operation {
        case .migrate:
            // File changes are read from the overlay upper dir or the vfs root.
            checks = [.containerRunning, .storageDriver(["overlay", "overlay2", "vfs"])]
            summary = "Resolve container \(reference) on the source engine to its full id and check that it is running "
                + "on overlay, overlay2 or vfs; its image id and configuration are read from the same inspect"
        case .checkpoint where plan.archive != nil:
            // File changes are read from the overlay upper dir or the vfs root.
            checks = [.containerRunning, .storageDriver(["overlay", "overlay2", "vfs"])]
            summary = "Resolve container \(reference) to its full id and check that it is running on overlay, overlay2 or vfs; "
                + "its image id and configuration, which the archive carries, are read from the same inspect"
        case .checkpoint, .roundtrip:
            checks = [.containerRunning]
            summary = savesFacts
                ? "Resolve container \(reference) to its full id, check that it is running, read its facts "
                    + "(pid, root, storage driver and layers, external mounts from /proc/<pid>/mountinfo) "
                    + "and save them in the image dir"
                : "Resolve container \(reference) to its full id and check that it is running"
        case .restore:
            checks = [.containerNotRunning]
            summary = "Resolve container \(reference) to its full id and check that it is not running "
                + "(Docker marked it exited at the dump; a running container cannot be restored over)"
        }
        if plan.mode == .external, plan.operation != .migrate {
            let drivers = plan.storage.driver == .auto ? Self.externalDrivers : [plan.storage.driver.rawValue]
            checks.append(.storageDriver(drivers))
        }
        return Step(
            kind: .inspect,
            summary: summary,
            dependsOn: [],
            commands: [
                CommandTemplate(
                    purpose: "read the container's state from Docker", arguments: inspectByReference, output: .containerInspect
                ),
            ],
            produces: savesFacts ? [imageFile(ImageDirLayout.containerFacts)] : [],
            checks: checks,
            undo: .nothing,
            paths: StepPaths(
                imageDir: savesFacts ? plan.imageDir : nil,
                factsFile: savesFacts ? imageFile(ImageDirLayout.containerFacts) : nil,
                dockerHome: plan.docker.home
            )
        )
    }
}
