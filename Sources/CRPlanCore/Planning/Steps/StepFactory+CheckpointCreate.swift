extension StepFactory {
    /// `checkpoint-create` (native mode): Docker drives CRIU and keeps the
    /// checkpoint in its own folder (the daemon refuses a custom
    /// `--checkpoint-dir` on start, so none is passed).
    func checkpointCreate(after previous: StepKind) -> Step {
        var argv = docker(["checkpoint", "create"])
        if plan.criu.leaveRunning { argv.append("--leave-running") }
        argv += [.value(.containerID), .value(Template(literal: checkpointName))]
        return Step(
            kind: .checkpointCreate,
            summary: "Checkpoint the container with Docker as `\(checkpointName)`"
                + (plan.criu.leaveRunning ? ", leaving it running" : "; Docker stops it"),
            dependsOn: [previous],
            commands: [CommandTemplate(purpose: "checkpoint the container with docker checkpoint create", arguments: argv)],
            undo: .irreversible("the checkpoint images are the only copy of the workload; roll forward with resume"),
            timeout: plan.timeouts.dump
        )
    }
}
