import Foundation
import Testing
@testable import CRPlanCore

/// Every file in `Fixtures/lint/invalid` gives exactly the diagnostics in
/// its `.expected` file; every file in `Fixtures/lint/valid` gives none.
/// Both are linted with `environment`, as `crplan lint` reads its own.
@Suite struct LintFixtureTests {
    static let root = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/lint")

    /// The environment the fixtures are linted (and compiled) with.
    static let environment = ["CRIU_IMG_DIR": "/srv/criu-images", "RELATIVE_DIR": "relative/dir", "TRAILING_SLASH": "/srv/images/", "SYSTEM_DIR": "/etc"]

    static func plans(in folder: String) -> [String] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// `line:column: severity: message [rule]` and an indented hint line,
    /// as the text reporter prints them without the file name.
    static func render(_ diagnostics: [Diagnostic]) -> String {
        TextReporter().render(diagnostics).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line.hasPrefix("plan.yaml: ") { return String(line.dropFirst("plan.yaml: ".count)) }
            if line.hasPrefix("plan.yaml:") { return String(line.dropFirst("plan.yaml:".count)) }
            return String(line)
        }.joined(separator: "\n")
    }

    @Test(arguments: plans(in: "invalid"))
    func invalidPlan(_ name: String) throws {
        let url = Self.root.appendingPathComponent("invalid/\(name)")
        let expectedURL = url.deletingPathExtension().appendingPathExtension("expected")
        let text = try String(contentsOf: url, encoding: .utf8)
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        let result = Linter.lint(text: text, file: "plan.yaml", environment: Self.environment)
        #expect(Self.render(result.diagnostics) == expected)
        let diagnosticsOnly = Array(text.utf8).withUnsafeBytes { Linter.diagnostics(bytes: $0, file: "plan.yaml", environment: Self.environment) }
        #expect(diagnosticsOnly == result.diagnostics)
        #expect(!result.diagnostics.isEmpty)
        #expect((result.plan == nil) == result.hasErrors)
    }

    @Test(arguments: plans(in: "valid"))
    func validPlan(_ name: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("valid/\(name)"), encoding: .utf8)
        let result = Linter.lint(text: text, file: name, environment: Self.environment)
        #expect(result.diagnostics == [])
        #expect(result.plan != nil)
    }

    /// Each rule (but `io-error`, which only the CLI reports) has a fixture.
    @Test func everyRuleHasAFixture() throws {
        var covered = Set<String>()
        for name in Self.plans(in: "invalid") {
            let expectedURL = Self.root.appendingPathComponent("invalid/\(name)").deletingPathExtension().appendingPathExtension("expected")
            let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            for rule in RuleID.allCases where expected.contains("[\(rule.rawValue)]") {
                covered.insert(rule.rawValue)
            }
        }
        let missing = RuleID.allCases.filter { $0 != .io && !covered.contains($0.rawValue) }
        #expect(missing == [])
    }

    @Test func eachFixtureHasAnExpectation() throws {
        let directory = Self.root.appendingPathComponent("invalid")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let plans = Set(names.filter { $0.hasSuffix(".yaml") }.map { $0.dropLast(5) })
        let expectations = Set(names.filter { $0.hasSuffix(".expected") }.map { $0.dropLast(9) })
        #expect(plans == expectations)
        #expect(!plans.isEmpty)
    }
}
