import CRPlanCore
import Foundation

/// `crplan plan --inspect`: the runtime values of a compiled plan, read
/// only, through the same `Host` the executor uses: the inspect step's own
/// `docker inspect` (its bound argv, as printed) decoded by
/// `Host.containerFacts`. A restore-only plan prefers the facts its
/// checkpoint run saved in the image dir (the `load-checkpoint` step's facts
/// file), since the container has exited and its root is gone.
enum LiveFacts {
    enum Failure: Error, CustomStringConvertible {
        case unresolved(String)
        case host(HostError)

        var description: String {
            switch self {
            case .unresolved(let what): "cannot inspect: \(what)"
            case .host(let error): "cannot inspect the container: \(error)"
            }
        }
    }

    static func read(for graph: StepGraph, host: some CRPlanCore.Host) async throws(Failure) -> ContainerFacts {
        guard let step = graph.step(.inspect), let bound = try? step.bound(to: nil),
              let command = bound.commands.first(where: { $0.output == .containerInspect }),
              let argv = command.literalArgv, let dockerHome = bound.paths.dockerHome?.literalValue else {
            throw .unresolved("the plan has no inspect step with a concrete docker inspect command")
        }
        var facts: ContainerFacts
        do {
            let result = try await host.run(CommandInvocation(argv: argv, timeout: .milliseconds(Int64(step.timeout.milliseconds))))
            facts = try await host.containerFacts(fromInspect: result, reference: graph.container.value, dockerHome: dockerHome)
        } catch {
            throw .host(error)
        }
        guard let load = graph.step(.loadCheckpoint),
              let path = (try? load.bound(to: facts))?.paths.factsFile?.literalValue else { return facts }
        if let bytes = try? await host.readFile(at: path),
           let saved = try? JSONDecoder().decode(ContainerFacts.self, from: Data(bytes)) {
            facts = saved
        }
        return facts
    }
}
