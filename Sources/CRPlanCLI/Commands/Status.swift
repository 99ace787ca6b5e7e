import ArgumentParser
import CRPlanCore
import CRPlanHost
import CRPlanImages
import Foundation

extension CRPlan {
    /// `crplan status [PLAN]`: where the latest run of a plan (or of every
    /// plan) stands, read from its journal; takes no lock, changes nothing.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each step's state, timings and outputs of the latest run of a plan (or of every plan).",
            discussion: """
                PLAN is a plan file or a plan name; without it every plan with a run folder is shown.

                Exit status: 0 shown; 1 the plan has no run; 2 usage error, unreadable plan or journal; \
                4 a journal is corrupt (the other plans, and the readable lines of that journal, are still shown, \
                and the damaged plan is named on standard error).
                """
        )

        @ArgumentParser.Argument(help: "A plan file (YAML) or a plan name.", completion: .file(extensions: ["yaml", "yml"]))
        var plan: String?

        @OptionGroup var state: StateOptions

        @Option(help: "Output format: text or json (the run state as recorded, for scripts).")
        var format: ReportFormat = .text

        func run() async throws {
            let host = SystemHost()
            let options = ExecutorOptions(
                stateDirectory: state.resolved(environment: host.environment),
                crplanVersion: CRPlan.configuration.version)
            let executor = Executor(host: host, options: options)
            var statuses: [RunStatus] = []
            var problems: [(planName: String, reason: String)] = []
            var problemExit: Int32 = 4
            do {
                if let plan {
                    let name = try planName(plan)
                    guard let status = try await executor.status(planName: name) else {
                        Console.writeError("crplan: plan \(name) has no run in \(options.stateDirectory)\n")
                        throw ExitCode(CLIExitCode.failure)
                    }
                    statuses = [status]
                    problems = status.corruption.map { [(name, "\(status.journalPath): journal is corrupt at \($0)")] } ?? []
                } else {
                    let all = try await executor.statusOfEveryPlan()
                    statuses = all.statuses
                    problems = all.problems
                    problemExit = all.failures.map(\.error.exitCode).max().map { max($0, 4) } ?? 4
                }
            } catch let error as ExecutorError {
                Console.writeError("crplan: error: \(error.description)\n")
                throw ExitCode(error.exitCode)
            }
            defer {
                // Every other plan is shown; each damaged one is named with why.
                for problem in problems {
                    Console.writeError("crplan: plan \(problem.planName): \(problem.reason)\n")
                }
            }
            switch format {
            case .json:
                if plan == nil { try Console.writeJSON(statuses) } else { try Console.writeJSON(statuses[0]) }
            case .text:
                if statuses.isEmpty, problems.isEmpty {
                    Console.writeError("crplan: no runs in \(options.stateDirectory)\n")
                }
                Console.write(statuses.map(StatusText.render).joined(separator: "\n"))
            }
            if !problems.isEmpty { throw ExitCode(problemExit) }
        }

        /// A readable plan file gives its `name`; anything else is taken as a plan name.
        private func planName(_ argument: String) throws -> String {
            guard FileManager.default.fileExists(atPath: argument) else {
                // The rule `lint` applies to `name`, so no other name has runs.
                if let problem = PlanNameRule.problem(with: argument) {
                    Console.writeError("crplan: error: `\(argument)` is neither a plan file nor a plan name: \(problem)\n")
                    throw ExitCode(CLIExitCode.usageOrIOError)
                }
                return argument
            }
            guard let plan = try PlanLoader.lint(file: argument, environment: nil).plan else {
                Console.writeError("\(argument): error: the plan has lint errors; run `crplan lint \(argument)`\n")
                throw ExitCode(CLIExitCode.usageOrIOError)
            }
            return plan.name
        }
    }
}

/// The text form of `crplan status`.
enum StatusText {
    static func render(_ status: RunStatus) -> String {
        let run = status.run
        var lines = [
            "plan \(status.planName): run \(run.runID) \(run.phase.rawValue)",
            "  \(run.operation.rawValue) of container \(run.container) (\(run.mode.rawValue) mode), started \(run.startedAt.iso8601)"
                + (run.finishedAt.map { ", finished \($0.iso8601)" } ?? ""),
            "  journal: \(status.journalPath)",
        ]
        if let facts = run.facts {
            lines.append("  container id \(facts.id), pid \(facts.pid), storage \(facts.driver), root \(facts.rootfs)")
        }
        if let corruption = status.corruption {
            lines.append("  THE JOURNAL IS CORRUPT at \(corruption): below is what the lines before it say; apply, resume and "
                + "rollback touch nothing until it is moved aside (check the container, images and mounts by hand first)")
        }
        if let forced = run.forcedPlanChanges, !forced.isEmpty {
            lines.append("  resumed with a changed plan (--force-changed-plan): \(forced.joined(separator: ", "))")
        }
        if let summary = status.summary?.line, !summary.isEmpty {
            lines.append("  \(summary)")
        }
        if let torn = status.tornLastLine {
            lines.append("  the journal's last line was torn by a crash and is ignored (\(torn))")
        }
        for record in run.steps {
            var line = "  " + record.state.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
                + record.step.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
            line += ProgressPrinter.duration(record.durationMilliseconds)
            if record.attempts > 1 { line += " (\(record.attempts) attempts)" }
            if record.probed { line += " (found done by a probe)" }
            lines.append(line)
            for (key, value) in record.outputs.sorted(by: { $0.key < $1.key }) {
                lines.append("      \(key): \(value)")
            }
            if let measurements = record.measurements {
                lines.append("      measured: \(measurements.summary)")
                for problem in measurements.problems { lines.append("      not measured: \(problem)") }
            }
            if let error = record.error { lines.append("      error: \(error)") }
            if let action = record.rollbackAction { lines.append("      undone: \(action)") }
            if let error = record.rollbackError { lines.append("      undo failed: \(error)") }
            if let left = record.leftForOperator { lines.append("      left for the operator: \(left)") }
        }
        for note in run.notes {
            lines.append("  note: \(note)")
        }
        if !status.history.isEmpty {
            lines.append("  earlier runs: \(status.history.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
