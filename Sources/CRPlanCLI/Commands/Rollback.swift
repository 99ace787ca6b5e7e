import ArgumentParser

extension CRPlan {
    /// `crplan rollback PLAN`: undo an unfinished or failed run explicitly.
    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo what the unfinished or failed run of a plan did (images and logs are kept).",
            discussion: """
                Unmounts what crplan mounted and removes the pidfile it wrote, in reverse order. \
                Never deletes checkpoint images and never kills a restored workload.

                Exit status: 0 undone; 2 no run to undo or the plan changed; 3 locked; \
                4 some undo actions failed (see what is left for the operator).
                """
        )

        @ArgumentParser.Argument(help: "The plan file (YAML) the run was started from.", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @OptionGroup var run: RunOptions

        func run() async throws {
            try await RunDriver.run(.rollback, file: file, options: run)
        }
    }
}
