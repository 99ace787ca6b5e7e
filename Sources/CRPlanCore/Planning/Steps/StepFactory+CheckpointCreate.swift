extension StepFactory {
    /// `checkpoint-create` (native mode): Docker drives CRIU and keeps the
    /// checkpoint in its own folder (the daemon refuses a custom
    /// `--checkpoint-dir` on start, so none is passed).
    ///
    /// With `waitFollows` (a roundtrip) the step has no `docker inspect` of
    /// its own: the `wait-container-exited` step right after it polls the
    /// very same check (Docker reports the container not running), so a
    /// second `docker inspect` (≈ 35 ms inside the frozen window) would only
    /// repeat it, and unlike the poll it would fail, irreversibly, when
    /// Docker is a moment late to record the exit. The step then tells a
    /// failed checkpoint's outcome, and a resume's probe tells an
    /// interrupted one's, from the container's init process in `/proc`.
    func checkpointCreate(after previous: StepKind, waitFollows: Bool = false) -> Step {
        var argv = docker(["checkpoint", "create"])
        if plan.criu.leaveRunning { argv.append("--leave-running") }
        argv += [.value(.containerID), .value(Template(literal: checkpointName))]
        let leaveRunning = plan.criu.leaveRunning
        return Step(
            kind: .checkpointCreate,
            summary: "Checkpoint the container with Docker as `\(checkpointName)`"
                + (leaveRunning ? ", leaving it running" : "; Docker stops it"),
            dependsOn: [previous],
            commands: [CommandTemplate(purpose: "checkpoint the container with docker checkpoint create", arguments: argv)]
                + (waitFollows ? [] : [inspectByID(purpose: "read the container's state after the checkpoint (run also when it failed)")]),
            checks: waitFollows ? [] : [leaveRunning ? .containerRunning : .containerNotRunning],
            undo: leaveRunning ? .nothing : .irreversible("the checkpoint images are the only copy of the workload; roll forward with resume"),
            pointOfNoReturn: !leaveRunning,
            paths: StepPaths(dockerHome: plan.docker.home, measuredImages: dockerCheckpointFolder),
            timeout: dumpTimeout
        )
    }
}
