import ArgumentParser
import CRPlanCore
import CRPlanHost
import Foundation

extension DryRunFormat: ExpressibleByArgument {}

extension CRPlan {
    /// `crplan plan FILE`: lint a plan, compile it and print the steps a run
    /// would take with their exact argv, without touching the host.
    struct PlanCommand: AsyncParsableCommand {
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
                     (with --format json the lint diagnostics also go to standard
                     output, as `crplan lint --format json` prints them)
                  2  a usage error, or the file could not be read
                """
        )

        @ArgumentParser.Argument(help: "The plan file (YAML); `-` reads it from standard input.", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @Option(help: "Output format: text (numbered steps with argv), json (the step graph), dot (Graphviz), mermaid.")
        var format: DryRunFormat = .text

        @Flag(help: "Bind runtime values (container id, pid, root, layers, cgroup mounts) read-only from the live Docker host.")
        var inspect = false

        func run() async throws {
            let host = SystemHost()
            let graph = try PlanLoader.compile(
                file: file, environment: host.environment, errorsAsJSON: format == .json, allowStandardInput: true
            )
            let file = PlanLoader.displayName(file, allowStandardInput: true)
            var facts: ContainerFacts?
            if inspect {
                do {
                    facts = try await LiveFacts.read(for: graph, host: host)
                } catch {
                    Console.writeError("\(file): error: \(error.description)\n")
                    throw ExitCode(CLIExitCode.failure)
                }
            }
            let output: String
            do {
                output = try DryRunRenderer(facts: facts).render(graph, as: format)
            } catch {
                Console.writeError("\(file): error: \(error.description)\n")
                throw ExitCode(CLIExitCode.failure)
            }
            Console.write(output)
        }
    }
}
