extension StepFactory {
    /// `wait-container-exited`: after the dump Docker sees the container die
    /// and tears down its root; a root rebuilt before that would be
    /// unmounted under the restored process, and `docker start` refuses a
    /// container Docker still thinks is running. Polls `docker inspect` (and,
    /// in external mode, the host's mountinfo) until the checks hold.
    func waitContainerExited(after previous: StepKind) -> Step {
        var checks: [StepCheck] = [.containerNotRunning]
        var summary = "Poll until Docker reports the container exited"
        if plan.mode == .external {
            checks.append(.notMountPoint(path: rootfs))
            summary += " and has unmounted its root filesystem"
        }
        return Step(
            kind: .waitContainerExited,
            summary: summary,
            dependsOn: [previous],
            commands: [inspectByID(purpose: "poll the container's State.Running and State.Status", pollInterval: Self.pollInterval)],
            checks: checks,
            undo: .nothing,
            paths: StepPaths(dockerHome: plan.docker.home),
            timeout: Self.exitWaitTimeout
        )
    }
}
