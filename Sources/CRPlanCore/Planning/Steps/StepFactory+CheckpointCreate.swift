extension StepFactory {
    /// `checkpoint-create` (native mode): Docker drives CRIU and keeps the
    /// checkpoint in its own folder (the daemon refuses a custom
    /// `--checkpoint-dir` on start, so none is passed).
    func checkpointCreate(after previous: StepKind) -> Step {
        var argv = docker(["checkpoint", "create"])
        if plan.criu.leaveRunning { argv.append("--leave-running") }
        argv += [.value(.containerID), .value(Template(literal: checkpointName))]
        let leaveRunning = plan.criu.leaveRunning
        return Step(
            kind: .checkpointCreate,
            summary: "Checkpoint the container with Docker as `\(checkpointName)`"
                + (leaveRunning ? ", leaving it running" : "; Docker stops it"),
            dependsOn: [previous],
            commands: [
                CommandTemplate(purpose: "checkpoint the container with docker checkpoint create", arguments: argv),
                inspectByID(purpose: "read the container's state after the checkpoint (run also when it failed)"),
            ],
            checks: [leaveRunning ? .containerRunning : .containerNotRunning],
            undo: leaveRunning ? .nothing : .irreversible("the checkpoint images are the only copy of the workload; roll forward with resume"),
            pointOfNoReturn: !leaveRunning,
            paths: StepPaths(dockerHome: plan.docker.home, measuredImages: dockerCheckpointFolder),
            timeout: dumpTimeout
        )
    }
}
