extension StepFactory {
    /// `operation: checkpoint` with `archive` (the first job of the two-job
    /// form): migrate's source half on this machine, no target. inspect →
    /// check-archive (before anything is frozen) → checkpoint-create into
    /// the run's staging dir (a copy paused until its changes are captured)
    /// → capture-changes → write-archive. Without `leaveRunning` the
    /// source stays stopped after success; checkpoint-create's undo (start
    /// it from the checkpoint, or unpause a copy) brings it back when a
    /// later step fails.
    func checkpointArchiveSteps(_ archive: Template) -> [Step] {
        [
            inspect(), checkArchive(after: .inspect), migrateCheckpoint(after: .checkArchive), captureChanges(after: .checkpointCreate),
            writeArchive(archive, after: .captureChanges),
        ]
    }

    /// `check-archive`: refuses, before the container is frozen, an archive
    /// path that exists, an archive folder another user could write (or a
    /// link on its way), and a staging dir already holding a checkpoint of
    /// this name. No command: crplan reads the paths itself.
    func checkArchive(after previous: StepKind) -> Step {
        Step(
            kind: .checkArchive,
            summary: "Check, before anything is frozen, that the archive \(plan.archive?.description ?? "?") does not exist (it is never "
                + "replaced), that its folder is root's and nobody else can write it (no link on its way), and that the staging dir "
                + "holds no checkpoint named `\(checkpointName)`",
            dependsOn: [previous],
            commands: [],
            undo: .nothing,
            paths: StepPaths(imageDir: stagingDir, archive: plan.archive)
        )
    }
}
