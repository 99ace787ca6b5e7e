extension StepFactory {
    /// `verify-dump-log`: CRIU's exit status alone is not trusted; its log
    /// must say the dump finished (the wiki's `grep successful dump.log`).
    func verifyDumpLog(after previous: StepKind) -> Step {
        let log = imageFile(ImageDirLayout.dumpLog)
        return Step(
            kind: .verifyDumpLog,
            summary: "Check that the dump log says `\(StepCheck.dumpFinished)`; on failure report its `Error (` lines",
            dependsOn: [previous],
            inputs: [log],
            checks: [.logContains(log: log, text: StepCheck.dumpFinished)],
            undo: .nothing,
            paths: StepPaths(imageDir: plan.imageDir, log: log)
        )
    }
}
