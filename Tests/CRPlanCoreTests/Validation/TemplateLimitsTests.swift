import Testing
@testable import CRPlanCore

/// `${...}` templates in plan values: nesting and count are bounded, so a
/// hostile value neither overflows the stack nor runs in quadratic time.
@Suite struct TemplateLimitsTests {
    static let header = "version: 1\nname: hostile\ncontainer: counter\n"

    func lint(_ text: String) -> ValidationResult {
        Linter.lint(text: text, file: "p.yaml")
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "${env.A:-", count: depth) + "/x" + String(repeating: "}", count: depth)
    }

    /// 3,000 nested defaults overflowed the stack (SIGSEGV) before the bound.
    @Test func deepDefaultsAreRefusedAtTheirColumn() throws {
        // 1,000 deep fits the scalar limit (16 KiB); 3,000 deep is over it.
        let result = lint(Self.header + "imageDir: \(Self.nested(1_000))\n")
        let diagnostic = try #require(result.diagnostics.first { $0.rule == .limitExceeded })
        let column = 11 + 9 * PlanLimits.maximumTemplateDepth
        #expect(diagnostic.location == SourceLocation(line: 4, column: column))
        #expect(result.plan == nil)
    }

    @Test func defaultsWithinTheLimitAreFine() throws {
        let result = lint(Self.header + "imageDir: \(Self.nested(PlanLimits.maximumTemplateDepth))\n")
        #expect(result.diagnostics == [])
        #expect(result.plan != nil)
    }

    @Test func modelParserRefusesDeepNestingToo() {
        #expect(throws: TemplateError.nestedTooDeep(offset: 0)) { try Template(parsing: Self.nested(3_000)) }
        #expect((try? Template(parsing: Self.nested(PlanLimits.maximumTemplateDepth))) != nil)
        #expect(throws: TemplateError.nestedTooDeep(offset: 0)) { try Template(parsing: Self.nested(PlanLimits.maximumTemplateDepth + 1)) }
    }

    @Test func variablesPerValue() throws {
        let many = String(repeating: "${container.id}", count: 100_000)
        let result = lint(Self.header + "imageDir: /\(many)\n")
        // 1.5 MB is over the file and scalar limits already; within them:
        #expect(result.diagnostics.first?.rule == .limitExceeded)
        let justOver = String(repeating: "${container.id}", count: PlanLimits.maximumTemplateVariables + 1)
        let over = lint(Self.header + "imageDir: /\(justOver)\n")
        let diagnostic = try #require(over.diagnostics.first { $0.rule == .limitExceeded })
        #expect(diagnostic.location == SourceLocation(line: 4, column: 12 + 15 * PlanLimits.maximumTemplateVariables))
        let unknown = String(repeating: "${nope}", count: 2_000)
        let unknownResult = lint(Self.header + "imageDir: /\(unknown)\n")
        #expect(unknownResult.diagnostics.count == PlanLimits.maximumTemplateVariables + 1)
    }
}
