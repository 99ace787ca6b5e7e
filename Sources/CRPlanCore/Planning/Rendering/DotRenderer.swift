/// The step graph for Graphviz (`crplan plan --format dot | dot -Tsvg`).
/// Irreversible steps are drawn bold.
struct DotRenderer {
    func render(_ graph: StepGraph) -> String {
        var lines = [
            "digraph \(quoted(graph.planName)) {",
            "  rankdir=TB;",
            "  node [shape=box];",
        ]
        for (number, step) in graph.steps.enumerated() {
            var attributes = [
                "label=\(quoted("\(number + 1). \(step.id)"))",
                "tooltip=\(quoted(step.summary))",
            ]
            if case .irreversible = step.undo {
                attributes.append("style=bold")
            }
            lines.append("  \(quoted(step.id)) [\(attributes.joined(separator: ", "))];")
        }
        for step in graph.steps {
            for dependency in step.dependsOn {
                lines.append("  \(quoted(dependency.rawValue)) -> \(quoted(step.id));")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
