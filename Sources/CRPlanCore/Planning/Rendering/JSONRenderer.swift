#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The step graph as data: `StepGraph`'s Codable form, keys sorted, pretty.
struct JSONRenderer {
    func render(_ graph: StepGraph) throws(DryRunError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(graph), as: UTF8.self) + "\n"
        } catch {
            throw .encoding(String(describing: error))
        }
    }
}
