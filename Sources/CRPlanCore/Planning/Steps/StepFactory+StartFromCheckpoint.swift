extension StepFactory {
    /// `start-from-checkpoint` (native mode): Docker restores the container
    /// and, unlike external mode, knows it runs again.
    func startFromCheckpoint(after previous: StepKind) -> Step {
        let argv = docker(["start", "--checkpoint", .value(Template(literal: checkpointName)), .value(.containerID)])
        return Step(
            kind: .startFromCheckpoint,
            summary: "Start the container from checkpoint `\(checkpointName)` with Docker",
            dependsOn: [previous],
            commands: [
                CommandTemplate(purpose: "restore the container with docker start --checkpoint", arguments: argv),
                inspectByID(purpose: "read the restored container's state and State.Pid (run also when the start failed)"),
            ],
            checks: [.containerRunning],
            undo: .irreversible("the restored workload is live; never killed by rollback"),
            pointOfNoReturn: true,
            paths: StepPaths(dockerHome: plan.docker.home, measuredImages: dockerCheckpointFolder),
            timeout: restoreTimeout
        )
    }
}
