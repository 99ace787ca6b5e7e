// Out of the build until the linter branch is merged: it brings
// `Linter.lint(text:file:)`, `TextReporter` and the root command. At the
// merge, delete this `#if` and its `#endif`, and add `PlanCommand.self` to
// the root command's `subcommands`.
#if CRPLAN_LINTER_MERGED
import ArgumentParser
import CRPlanCore
import Foundation

extension DryRunFormat: ExpressibleByArgument {}

/// `crplan plan FILE`: lint a plan, compile it and print the steps a run
/// would take with their exact argv, without touching the host.
///
/// Exit codes: 0 printed; 2 the file cannot be read, has lint errors, or
/// cannot be compiled in this environment (as for `crplan apply`).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Compile a plan and print its steps with their exact argv (a dry run).",
        discussion: """
            Values only the live container gives (its id, pid, root, layers, cgroup mounts) \
            print symbolically, e.g. ${container.pid}. Environment variables the plan uses \
            (${env.NAME}, DOCKER_HOME, CRIU_IMG_DIR, DOCKER_BINARY, CRIU_BINARY) are read now.
            """
    )

    @ArgumentParser.Argument(help: "The plan file (YAML).")
    var file: String

    @Option(help: "Output format: \(DryRunFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: DryRunFormat = .text

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            Self.printError("\(file): error: cannot read the plan: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let result = Linter.lint(text: text, file: file)
        let report = TextReporter(colored: isatty(STDERR_FILENO) != 0).render(result.diagnostics)
        if !report.isEmpty { Self.printError(report, terminator: "") }
        guard let plan = result.plan else { throw ExitCode(2) }

        let graph: StepGraph
        do {
            graph = try Planner(environment: ProcessInfo.processInfo.environment).compile(plan)
        } catch {
            Self.printError("\(file): error: \(error.description)")
            throw ExitCode(2)
        }
        do {
            print(try DryRunRenderer().render(graph, as: format), terminator: "")
        } catch {
            Self.printError("\(file): error: \(error.description)")
            throw ExitCode(2)
        }
    }

    private static func printError(_ message: String, terminator: String = "\n") {
        FileHandle.standardError.write(Data((message + terminator).utf8))
    }
}
#endif
