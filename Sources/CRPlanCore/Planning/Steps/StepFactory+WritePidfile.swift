extension StepFactory {
    /// `write-pidfile`: the plan's pidfile gets the restored workload's pid
    /// once it is checked alive: in external mode the pid CRIU wrote, in
    /// native mode Docker's `State.Pid`. Written atomically (temp file,
    /// fsync, rename).
    func writePidfile(after previous: StepKind) -> Step {
        let pidfile = plan.restore.pidfile
        switch plan.mode {
        case .external:
            let criuPidfile = imageFile(ImageDirLayout.criuRestorePidfile)
            return Step(
                kind: .writePidfile,
                summary: "Check that the pid CRIU wrote is alive and runs the container's command, "
                    + "then write it to the plan's pidfile atomically",
                dependsOn: [previous],
                inputs: [criuPidfile],
                produces: [pidfile],
                checks: [.processAlive(pidfile: criuPidfile)],
                undo: .removeFile(pidfile),
                paths: StepPaths(pidfile: pidfile, criuPidfile: criuPidfile)
            )
        case .native:
            return Step(
                kind: .writePidfile,
                summary: "Check that the State.Pid Docker reported after the start is alive and runs the container's command, "
                    + "then write it to the plan's pidfile atomically",
                dependsOn: [previous],
                produces: [pidfile],
                undo: .removeFile(pidfile),
                paths: StepPaths(pidfile: pidfile)
            )
        }
    }
}
