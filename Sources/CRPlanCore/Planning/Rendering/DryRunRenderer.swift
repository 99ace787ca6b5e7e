#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why a dry run could not be printed.
public enum DryRunError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The container facts could not bind a runtime value.
    case binding(BindingError)
    /// The graph could not be encoded as JSON.
    case encoding(String)

    public var description: String {
        switch self {
        case .binding(let error): error.description
        case .encoding(let message): "cannot encode the step graph as JSON: \(message)"
        }
    }
}

/// Prints a compiled step graph: what `crplan plan` shows.
///
/// Without facts, runtime values print symbolically (`${container.pid}`);
/// with facts (read-only `docker inspect`), the graph is first bound with
/// `StepGraph.bound(to:)`, the same resolution the executor uses, and every
/// format prints the concrete values.
public struct DryRunRenderer: Sendable {
    public var facts: ContainerFacts?
    /// The run's own values (its id, open-archive's unpack bound), when known; `crplan plan` has none.
    public var run: RunValues

    public init(facts: ContainerFacts? = nil, run: RunValues = .none) {
        self.facts = facts
        self.run = run
    }

    public func render(_ graph: StepGraph, as format: DryRunFormat) throws(DryRunError) -> String {
        var shown = graph
        if let facts {
            do {
                shown = try graph.bound(to: facts, run: run)
            } catch {
                throw .binding(error)
            }
        }
        switch format {
        case .text: return TextRenderer(symbolic: facts == nil).render(shown)
        case .json: return try JSONRenderer().render(shown)
        case .dot: return DotRenderer().render(shown)
        case .mermaid: return MermaidRenderer().render(shown)
        }
    }
}
