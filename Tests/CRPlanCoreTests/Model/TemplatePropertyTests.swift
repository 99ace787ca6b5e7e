import Foundation
import PropertyBased
import Testing
@testable import CRPlanCore

/// Random `${...}` text through both template parsers (the model's and the
/// linter's positioned one): never a trap, and what parses prints back to
/// text that parses to the same template.
@Suite struct TemplatePropertyTests {
    static let tokens = [
        "$", "{", "}", "${", "env.", "A", "B_1", ":-", ":", "-", "container.id", "plan.name", "imageDir",
        "/", "x", " ", "é", "${env.A:-", "${container.name}", "}}", "$$", "\\",
    ]

    static let text = Gen.int(in: 0...(tokens.count - 1)).map { tokens[$0] }.array(of: 0...80).map { $0.joined() }

    @Test func modelParserNeverTrapsAndRoundTrips() async {
        await propertyCheck(count: 2_000, input: Self.text) { text in
            guard let template = try? Template(parsing: text) else { return }
            #expect((try? Template(parsing: template.description)) == template, "\(text)")
        }
    }

    @Test func linterNeverTrapsAndPositionsItsErrors() async {
        await propertyCheck(count: 1_000, input: Self.text) { text in
            let quoted = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
            let result = Linter.lint(text: "version: 1\nname: p\ncontainer: c1\nimageDir: \(quoted)\n", file: "p.yaml")
            for diagnostic in result.diagnostics where diagnostic.severity == .error {
                #expect(diagnostic.location?.line == 4, "\(text): \(diagnostic)")
            }
        }
    }

    /// Where both parsers accept a value, they read the same template.
    @Test func bothParsersAgree() async {
        await propertyCheck(count: 1_000, input: Self.text) { text in
            let quoted = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
            let result = Linter.lint(text: "version: 1\nname: p\ncontainer: c1\ndocker:\n  binary: \(quoted)\n", file: "p.yaml")
            guard let plan = result.plan, let model = try? Template(parsing: text) else { return }
            #expect(plan.docker.binary == model, "\(text)")
        }
    }
}
