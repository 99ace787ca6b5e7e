import ArgumentParser

extension CRPlan {
    /// `crplan apply PLAN`: run a plan's steps against the real host, with a
    /// journal, and roll back what was done when a step fails.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a plan: checkpoint and/or restore its container, journaling every step.",
            discussion: """
                Refuses when an unfinished run of the same plan exists (use resume or rollback). \
                On a failed step, completed reversible steps are undone in reverse order; \
                checkpoint images and logs are always kept.

                Exit status:
                  0  every step succeeded
                  1  a step failed (and was rolled back, unless --no-rollback)
                  2  usage error, unreadable or invalid plan
                  3  another crplan holds the plan's or the container's lock
                  4  needs operator attention (see the notes): an unfinished run exists, a \
                rollback action failed, or a step failed after a point of no return (resume)
                """
        )

        @ArgumentParser.Argument(help: "The plan file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @OptionGroup var run: RunOptions

        @Flag(help: "On a failed step, leave everything as it is (resume or roll back later).")
        var noRollback = false

        @Flag(help: "If the image dir already holds a complete checkpoint, move it aside (<dir>.<time>) instead of refusing.")
        var keepExisting = false

        func run() async throws {
            try await RunDriver.run(
                .apply, file: file, options: run, rollbackOnFailure: !noRollback, keepExistingCheckpoint: keepExisting)
        }
    }
}
