import Foundation

/// The identity of a compiled plan as far as execution goes: `sha256:` and
/// the SHA-256 of the step graph encoded as JSON with sorted keys. `apply`
/// journals it; `resume` and `rollback` refuse a plan whose digest changed
/// since the run started. Only what the steps do counts: editing a comment
/// or the plan's description leaves it as it was.
public enum PlanDigest {
    /// The canonical bytes: `JSONEncoder` with `.sortedKeys` of the graph.
    public static func canonicalBytes(of graph: StepGraph) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(graph))
    }

    public static func of(_ graph: StepGraph) throws -> String {
        "sha256:" + SHA256Hex.of(try canonicalBytes(of: graph))
    }
}
