import ArgumentParser
import CRPlanCore
import Foundation

extension DryRunFormat: ExpressibleByArgument {}

extension CRPlan {
    /// `crplan plan FILE`: lint a plan, compile it and print the steps a run
    /// would take with their exact argv, without touching the host.
    struct PlanCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Compile a plan and print its steps with their exact argv (a dry run).",
            discussion: """
                Values only the live container gives (its id, pid, root, layers, cgroup \
                mounts) print symbolically, e.g. ${container.pid}. Environment variables \
                the plan uses (${env.NAME}; by default DOCKER_BINARY, DOCKER_HOME, \
                CRIU_BINARY, CRIU_IMG_DIR) are read now, as a run would read them.

                Exit status:
                  0  the steps were printed (lint warnings go to standard error)
                  1  the plan has lint errors, or cannot be compiled in this environment
                  2  a usage error, or the file could not be read
                """
        )

        @ArgumentParser.Argument(help: "The plan file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @Option(help: "Output format: text (numbered steps with argv), json (the step graph), dot (Graphviz), mermaid.")
        var format: DryRunFormat = .text

        func run() throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                Console.writeError("\(file): error: cannot read the plan: \(error.localizedDescription)\n")
                throw ExitCode(ExitStatus.usageOrIOError)
            }
            let result = Linter.lint(text: text, file: file)
            Console.writeError(TextReporter(colored: false).render(result.diagnostics))
            guard let plan = result.plan else { throw ExitCode(ExitStatus.failure) }

            let output: String
            do {
                let graph = try Planner(environment: ProcessInfo.processInfo.environment).compile(plan)
                output = try DryRunRenderer().render(graph, as: format)
            } catch let error as PlanningError {
                Console.writeError("\(file): error: \(error.description)\n")
                throw ExitCode(ExitStatus.failure)
            } catch let error as DryRunError {
                Console.writeError("\(file): error: \(error.description)\n")
                throw ExitCode(ExitStatus.failure)
            }
            Console.write(output)
        }
    }
}
