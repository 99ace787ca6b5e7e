import Testing
@testable import CRPlanCore

@Suite struct PlanDurationTests {
    @Test func spellings() {
        #expect(PlanDuration(parsing: "90s")?.milliseconds == 90_000)
        #expect(PlanDuration(parsing: "1h30m")?.milliseconds == 5_400_000)
        #expect(PlanDuration(parsing: "1m30s250ms")?.milliseconds == 90_250)
        #expect(PlanDuration(parsing: "24h")?.milliseconds == PlanLimits.maximumDurationMilliseconds)
        for bad in ["", "0s", "s", "5", "5 m", "1d", "-1s", "1.5s", "mm"] {
            #expect(PlanDuration.parse(bad) == .failure(.malformed), "\(bad)")
        }
    }

    /// These trapped with "arithmetic overflow" before durations were bounded.
    @Test(arguments: [
        "9223372036854775808ms", "2562047788015h2562047788015h", "9223372036854775807ms1ms",
        "2562047788015h", "9223372036854775807ms", "24h1ms", "86400001ms", "1441m",
        String(repeating: "9", count: 5_000) + "h", String(repeating: "23h", count: 1_000),
    ])
    func overLongDurationsAreRefusedNotTrapped(_ text: String) {
        #expect(PlanDuration.parse(text) == .failure(.tooLong))
        #expect(PlanDuration(parsing: text) == nil)
    }

    @Test func lintReportsTheLimitAtTheValue() throws {
        let result = Linter.lint(text: "version: 1\nname: n\ncontainer: c1\ntimeouts:\n  dump: 9223372036854775808ms\n", file: "p.yaml")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.rule == .invalidDuration)
        #expect(diagnostic.location == SourceLocation(line: 5, column: 9))
        #expect(diagnostic.message.contains("longer than the limit of 24h"))
    }
}
