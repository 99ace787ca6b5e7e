import Foundation

/// The identity of a compiled plan: `sha256:` and the SHA-256 of the plan
/// encoded as JSON with sorted keys. `apply` journals it; `resume` and
/// `rollback` refuse a plan whose digest changed since the run started.
public enum PlanDigest {
    /// The canonical bytes: `JSONEncoder` with `.sortedKeys` of `graph.plan`.
    public static func canonicalBytes(of plan: Plan) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(plan))
    }

    public static func of(_ plan: Plan) throws -> String {
        "sha256:" + SHA256.hex(try canonicalBytes(of: plan))
    }
}
