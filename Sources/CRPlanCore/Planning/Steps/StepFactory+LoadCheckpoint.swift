extension StepFactory {
    /// `load-checkpoint` (external restore-only runs): the exited container
    /// has no pid nor mounts left to inspect, so the facts come from the
    /// file the checkpoint run saved beside the images.
    func loadCheckpoint(after previous: StepKind) -> Step {
        let facts = imageFile(ImageDirLayout.containerFacts)
        let dumpLog = imageFile(ImageDirLayout.dumpLog)
        return Step(
            kind: .loadCheckpoint,
            summary: "Read the container facts the checkpoint run saved in the image dir (root, storage driver "
                + "and layers, cgroup mounts), check they belong to the inspected container and that the dump finished",
            dependsOn: [previous],
            inputs: [plan.imageDir],
            checks: [.savedFactsMatchContainer(file: facts), .logContains(log: dumpLog, text: StepCheck.dumpFinished)],
            undo: .nothing,
            paths: StepPaths(imageDir: plan.imageDir, factsFile: facts, dockerHome: plan.docker.home, log: dumpLog)
        )
    }
}
