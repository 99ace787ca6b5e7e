import ArgumentParser

extension CRPlan {
    /// `crplan rollback PLAN`: undo an unfinished or failed run explicitly.
    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo what the unfinished or failed run of a plan did (images and logs are kept).",
            discussion: """
                Unmounts what crplan mounted and removes the pidfile it wrote, in reverse order. \
                Never deletes checkpoint images and never kills a restored workload. \
                Works from the steps the run journaled when it started, so an edited plan \
                file still rolls back the run that was made (a note says so).

                Exit status: 0 undone; 2 no run to undo, or the plan changed and its journal \
                (written by an older crplan) does not hold the run's steps; 3 locked; \
                4 some undo actions failed (see what is left for the operator).
                """
        )

        @ArgumentParser.Argument(help: "The plan file (YAML) the run was started from.", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @OptionGroup var run: RunOptions

        @Flag(help: "Only for a journal that does not hold the run's steps (older crplan): roll back with the edited plan's steps (warned about).")
        var forceChangedPlan = false

        func run() async throws {
            try await RunDriver.run(.rollback, file: file, options: run, forceChangedPlan: forceChangedPlan)
        }
    }
}
