import ArgumentParser
import CRPlanCore
import CRPlanHost
import Foundation

extension CRPlan {
    /// `crplan show IMAGE_DIR`: what a checkpoint holds — the container facts
    /// inspect saved, the CRIU that wrote it, its size by kind, the process
    /// tree at dump time, CRIU's statistics and the runs that used it.
    /// Reads only; takes no lock.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a checkpoint image dir holds: container, CRIU, size, process tree, statistics, runs.",
            discussion: """
                IMAGE_DIR is a plan's image dir (external mode) or Docker's checkpoint folder \
                (<docker home>/containers/<id>/checkpoints/<name>, native mode, which has no statistics). \
                Runs are found in the state dir's journals by the image dir their steps used.

                Exit status: 0 shown (parts that could not be read are listed under "could not read"); \
                2 usage error, or IMAGE_DIR is not a readable directory.
                """
        )

        @ArgumentParser.Argument(help: "The checkpoint's image dir.", completion: .directory)
        var imageDir: String

        @OptionGroup var state: StateOptions

        @Option(help: "Output format: text or json (the report as a JSON object).")
        var format: ReportFormat = .text

        func run() async throws {
            let host = SystemHost()
            let directory = absolute(imageDir)
            let options = ExecutorOptions(
                stateDirectory: state.resolved(environment: host.environment),
                crplanVersion: CRPlan.configuration.version)
            var runs: [RunStatus] = []
            var runProblem: String?
            do {
                runs = try await Executor(host: host, options: options).statusOfAllPlans()
            } catch {
                runProblem = "runs in \(options.stateDirectory): \(error.description)"
            }
            var report: CheckpointImageReport
            do {
                report = try await CheckpointImageInspector.report(imageDir: directory, host: host, runs: runs)
            } catch {
                Console.writeError("crplan: error: \(error.description)\n")
                throw ExitCode(CLIExitCode.usageOrIOError)
            }
            if let runProblem { report.problems.append(runProblem) }
            switch format {
            case .json:
                try Console.writeJSON(report)
            case .text:
                Console.write(CheckpointImageReportText.render(report))
            }
        }
    }
}
