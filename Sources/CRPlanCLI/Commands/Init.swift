import ArgumentParser
import CRPlanCore
import CRPlanHost
import Foundation

extension Plan.Operation: ExpressibleByArgument {}
extension Plan.Mode: ExpressibleByArgument {}

extension CRPlan {
    /// `crplan init CONTAINER`: a commented plan for a running container on
    /// standard output, from `docker inspect` and `docker info`.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a commented plan for a container, read from Docker (crplan init counter > plans/counter.yaml).",
            discussion: """
                Reads the container with `docker inspect` and Docker's data root with \
                `docker info`, checks every value, and prints a plan that lints clean: \
                name, container, operation, mode, the storage driver, docker.home, \
                Docker's /etc files as extMounts, and the container's volumes and bind \
                mounts as extMounts entries to confirm (those the linter would refuse are \
                printed as comments with the reason). cgroup v1 mounts are found at run \
                time. docker runs as plans run it: DOCKER_BINARY, else `docker`.

                Exit status: 0 printed; 1 Docker's answer cannot go into a plan, or the \
                container is not running; 2 usage error, docker failed.
                """
        )

        @ArgumentParser.Argument(help: "The container: name, id or unique id prefix.")
        var container: String

        @Option(help: "checkpoint, restore or roundtrip.")
        var operation: Plan.Operation = .roundtrip

        @Option(help: "external (CRIU directly) or native (docker checkpoint).")
        var mode: Plan.Mode = .external

        @Option(help: "The plan name (lowercase letters, digits, `-`); default: from the container's name.")
        var name: String?

        @Option(name: .customLong("docker-host"), help: "The Docker daemon (docker -H), written into the plan as docker.host.")
        var dockerHost: String?

        /// Docker's answers are small; more is refused.
        static let timeout = Duration.seconds(30)

        func validate() throws {
            guard ContainerReference(container) != nil, !container.hasPrefix("-") else {
                throw ValidationError("`\(container)` is no container name, id or id prefix.")
            }
        }

        func run() async throws {
            let host = SystemHost()
            let docker = host.environment["DOCKER_BINARY"].flatMap { $0.isEmpty ? nil : $0 } ?? "docker"
            let hostArguments = dockerHost.map { ["-H", $0] } ?? []

            let inspectResult = try await runDocker(DockerInspect.argv(docker: docker, host: dockerHost, reference: container), host: host)
            let inspect: DockerContainerInspect
            do {
                guard !inspectResult.standardOutputTruncated else {
                    throw DockerInspectError.malformed(reference: container, reason: "the output is larger than crplan reads")
                }
                guard inspectResult.status != .timedOut else {
                    throw DockerInspectError.malformed(reference: container, reason: "docker inspect timed out")
                }
                let status = inspectResult.status
                inspect = try DockerInspect.decode(
                    standardOutput: Array(inspectResult.standardOutput.utf8), standardError: inspectResult.standardError,
                    status: status, reference: container)
            } catch {
                Console.writeError("crplan: error: \(error)\n")
                throw ExitCode(CLIExitCode.usageOrIOError)
            }

            let info = try await runDocker([docker] + hostArguments + ["info", "--format", "{{.DockerRootDir}}"], host: host)
            guard info.status == .exited(0), !info.standardOutputTruncated else {
                Console.writeError("crplan: error: `docker info` ended with \(info.status): \(info.standardError.prefix(500))\n")
                throw ExitCode(CLIExitCode.usageOrIOError)
            }
            var rootDir = info.standardOutput
            if rootDir.hasSuffix("\n") { rootDir.removeLast() }

            let snapshot = ScaffoldContainer(
                id: inspect.id, name: inspect.plainName, running: inspect.state.running, driver: inspect.graphDriver.name,
                mounts: inspect.mounts.map { ScaffoldContainer.Mount(type: $0.type, source: $0.source, destination: $0.destination) },
                dockerRootDir: rootDir)
            let scaffold = PlanScaffold(operation: operation, mode: mode, name: name, dockerHost: dockerHost, environment: host.environment)
            do {
                Console.write(try scaffold.render(snapshot))
            } catch {
                Console.writeError("crplan: error: \(error.description)\n")
                throw ExitCode(CLIExitCode.failure)
            }
        }

        private func runDocker(_ argv: [String], host: SystemHost) async throws -> CommandResult {
            do {
                let result = try await host.run(CommandInvocation(argv: argv, timeout: Self.timeout))
                if result.status == .timedOut {
                    Console.writeError("crplan: error: `\(argv.joined(separator: " "))` timed out\n")
                    throw ExitCode(CLIExitCode.usageOrIOError)
                }
                return result
            } catch let error as HostError {
                Console.writeError("crplan: error: cannot run \(argv[0]): \(error)\n")
                throw ExitCode(CLIExitCode.usageOrIOError)
            }
        }
    }
}
