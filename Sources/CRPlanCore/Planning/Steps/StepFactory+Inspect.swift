extension StepFactory {
    /// `inspect`: resolve the plan's reference to one container and read its
    /// facts. Before a dump the container must be running; before a
    /// restore-only run it must not be (Docker marked it exited at the dump).
    func inspect() -> Step {
        let reference = "`\(plan.container.value)`"
        let savesFacts = plan.mode == .external && plan.operation != .restore
        let summary: String
        let check: StepCheck
        switch plan.operation {
        case .checkpoint, .roundtrip:
            check = .containerRunning
            summary = savesFacts
                ? "Resolve container \(reference) to its full id, check that it is running, read its facts "
                    + "(pid, root, storage driver and layers, external mounts from /proc/<pid>/mountinfo) "
                    + "and save them in the image dir"
                : "Resolve container \(reference) to its full id and check that it is running"
        case .restore:
            check = .containerNotRunning
            summary = "Resolve container \(reference) to its full id and check that it is not running "
                + "(Docker marked it exited at the dump; a running container cannot be restored over)"
        }
        return Step(
            kind: .inspect,
            summary: summary,
            dependsOn: [],
            commands: [CommandTemplate(purpose: "read the container's state from Docker", arguments: inspectByReference)],
            produces: savesFacts ? [imageFile(ImageDirLayout.containerFacts)] : [],
            checks: [check],
            undo: .nothing
        )
    }
}
