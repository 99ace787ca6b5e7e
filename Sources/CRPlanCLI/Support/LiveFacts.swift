import CRPlanCore
import Foundation

/// `crplan plan --inspect`: the runtime values of a compiled plan, read
/// only (`docker inspect` and /proc), through the same `Host` the executor
/// uses. A restore-only plan prefers the facts its checkpoint run saved in
/// the image dir, since the container has exited and its root is gone.
enum LiveFacts {
    enum Failure: Error, CustomStringConvertible {
        case unresolved(String)
        case host(HostError)

        var description: String {
            switch self {
            case .unresolved(let what): "cannot inspect: \(what) depends on values crplan cannot read before running"
            case .host(let error): "cannot inspect the container: \(error)"
            }
        }
    }

    static func read(for graph: StepGraph, host: some CRPlanCore.Host) async throws(Failure) -> ContainerFacts {
        let docker = graph.plan.docker
        guard let binary = docker.binary.literalValue, let home = docker.home.literalValue else {
            throw .unresolved("docker.binary or docker.home")
        }
        let endpoint = DockerEndpoint(binary: binary, home: home, host: docker.host?.literalValue)
        var facts: ContainerFacts
        do {
            facts = try await host.inspectContainer(graph.container.value, docker: endpoint)
        } catch {
            throw .host(error)
        }
        guard graph.operation == .restore else { return facts }
        guard let imageDir = try? graph.plan.imageDir.bind(facts, purpose: "find the image dir") else { return facts }
        let path = imageDir + "/" + ImageDirLayout.containerFacts
        if let bytes = try? await host.readFile(at: path),
           let saved = try? JSONDecoder().decode(ContainerFacts.self, from: Data(bytes)) {
            facts = saved
        }
        return facts
    }
}
