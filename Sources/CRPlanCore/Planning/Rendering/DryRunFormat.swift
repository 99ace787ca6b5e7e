/// The output formats of `crplan plan`: a numbered list of steps with
/// their argv, the graph as JSON data, or the graph for Graphviz or Mermaid.
public enum DryRunFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case text
    case json
    case dot
    case mermaid
}
