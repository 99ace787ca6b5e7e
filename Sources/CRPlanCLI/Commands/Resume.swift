import ArgumentParser

extension CRPlan {
    /// `crplan resume PLAN`: continue an unfinished run, probing the step
    /// that was interrupted before anything runs again.
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Continue the unfinished run of a plan (after a crash, a kill, or a failure past a point of no return).",
            discussion: """
                A step journaled as started but not finished is probed first (dump: log and images; \
                rebuild-rootfs: mountinfo; restore: pidfile and live process), so a resume never dumps \
                twice or restores a second copy. Refuses when the plan changed since the run started, \
                unless --force-changed-plan.

                Exit status: as for apply; 2 also when there is no unfinished run or the plan changed.
                """
        )

        @ArgumentParser.Argument(help: "The plan file (YAML) the run was started from.", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @OptionGroup var run: RunOptions

        @Flag(help: "Resume even though the plan's steps changed since the run started (warned about and journaled).")
        var forceChangedPlan = false

        func run() async throws {
            try await RunDriver.run(.resume, file: file, options: run, forceChangedPlan: forceChangedPlan)
        }
    }
}
