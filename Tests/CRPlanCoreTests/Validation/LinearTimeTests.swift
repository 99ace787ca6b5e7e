import Testing
@testable import CRPlanCore

/// Inputs that took seconds to minutes while diagnostics were de-duplicated
/// and mount points compared pairwise (quadratic). These tests pin what each
/// now reports; how long it takes is measured by bench/hostile.sh (release
/// build, 2 s per file), never asserted here. The suite's time limit only
/// stops a hang.
@Suite(.timeLimit(.minutes(5))) struct LinearTimeTests {
    static let header = "version: 1\nname: hostile\ncontainer: counter\n"

    func lint(_ text: String) -> ValidationResult {
        Linter.lint(text: text, file: "p.yaml")
    }

    @Test func manyUnknownKeys() {
        var text = Self.header
        for index in 0..<(PlanLimits.maximumMappingKeys - 3) { text += "key\(index): 1\n" }
        #expect(lint(text).diagnostics.count == PlanLimits.maximumMappingKeys - 3)
        // 100,000 keys: the mapping limit stops it at the 1,001st.
        var huge = Self.header
        for index in 0..<100_000 { huge += "key\(index): 1\n" }
        #expect(lint(huge).diagnostics.map(\.rule) == [.limitExceeded])
    }

    /// "Did you mean" compared each long unknown key with every valid key:
    /// 990 keys of 1,000 bytes took 9.9 s (debug build), 0.54 s (release).
    @Test func longUnknownKeysSkipHopelessSuggestions() {
        var text = Self.header
        for index in 1_000..<1_990 { text += "\(index)" + String(repeating: "k", count: 1_000) + ": 1\n" }
        #expect(lint(text).diagnostics.count == 990)
        #expect(Suggestions.closest(to: "imagedir", in: ["imageDir", "name"]) == "imageDir")
        #expect(Suggestions.closest(to: "imageDirectory", in: ["imageDir"]) == nil)
    }

    @Test func manyDuplicateExtMounts() {
        let text = Self.header + "extMounts:\n" + String(repeating: "  - {path: /etc/hosts, restore: /x}\n", count: PlanLimits.maximumSequenceItems)
        let result = lint(text)
        #expect(result.diagnostics.count == PlanLimits.maximumSequenceItems - 1)
        #expect(result.diagnostics.allSatisfy { $0.rule == .duplicateExtMount })
    }

    @Test func manyExtraArgs() {
        // `--tree=1` is one entry crplan owns (a bare `-t` would take the next entry as its value).
        let text = Self.header + "criu:\n  extraArgs: [" + Array(repeating: "--tree=1", count: PlanLimits.maximumSequenceItems).joined(separator: ", ") + "]\n"
        #expect(lint(text).diagnostics.count == PlanLimits.maximumSequenceItems)
        let huge = Self.header + "criu:\n  extraArgs: [" + Array(repeating: "-t", count: 100_000).joined(separator: ", ") + "]\n"
        #expect(lint(huge).diagnostics.map(\.rule) == [.limitExceeded])
    }

    /// De-duplication of repeated problems (aliases repeat them) is linear.
    @Test func sortingDeduplicates() {
        let one = Diagnostic(file: "f", location: SourceLocation(line: 1, column: 1), severity: .error, rule: .io, message: "m")
        var many: [Diagnostic] = []
        for index in 0..<50_000 {
            var copy = one
            copy.message = "m\(index % 25_000)"
            many.append(copy)
        }
        #expect(PlanValidator.sorted(many).count == 25_000)
    }
}
