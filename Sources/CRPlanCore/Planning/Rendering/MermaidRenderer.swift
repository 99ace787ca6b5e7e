/// The step graph as a Mermaid flowchart (renders in GitHub markdown).
/// Irreversible steps get the `irreversible` class.
struct MermaidRenderer {
    func render(_ graph: StepGraph) -> String {
        var lines = ["flowchart TD"]
        for (number, step) in graph.steps.enumerated() {
            lines.append("  \(nodeID(step.kind))[\"\(number + 1). \(step.id)\"]")
        }
        for step in graph.steps {
            for dependency in step.dependsOn {
                lines.append("  \(nodeID(dependency)) --> \(nodeID(step.kind))")
            }
        }
        let irreversible = graph.steps.filter { if case .irreversible = $0.undo { true } else { false } }
        if !irreversible.isEmpty {
            lines.append("  classDef irreversible stroke-width:3px")
            lines.append("  class \(irreversible.map { nodeID($0.kind) }.joined(separator: ",")) irreversible")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Step ids hold `-`, which Mermaid reads as part of an edge.
    private func nodeID(_ kind: StepKind) -> String {
        kind.rawValue.replacing("-", with: "_")
    }
}
