import Testing
@testable import CRPlanCore

/// Each of `PlanLimits` stops a file that goes over it with one positioned
/// `limit-exceeded` error (never a trap, a stack overflow or a runaway), and
/// a file just under it still loads.
@Suite struct PlanLimitsTests {
    static let header = "version: 1\nname: hostile\ncontainer: counter\n"

    func lint(_ text: String) -> ValidationResult {
        Linter.lint(text: text, file: "p.yaml")
    }

    func lint(_ bytes: [UInt8]) -> ValidationResult {
        Linter.lint(bytes: bytes, file: "p.yaml")
    }

    /// The one error that stopped loading: its rule and position.
    func stop(_ result: ValidationResult) -> Diagnostic? {
        result.diagnostics.first { $0.rule == .limitExceeded }
    }

    @Test func fileSize() throws {
        let padding = String(repeating: "# padding\n", count: PlanLimits.maximumFileBytes / 10 + 1)
        let result = lint(Self.header + padding)
        let diagnostic = try #require(stop(result))
        #expect(diagnostic.location == SourceLocation(line: 1, column: 1))
        #expect(diagnostic.message.contains("1 MiB"))
        #expect(result.plan == nil)
        // Just under the limit: loads.
        let under = String(repeating: "# padding\n", count: (PlanLimits.maximumFileBytes - 100) / 10)
        #expect(lint(Self.header + under).diagnostics == [])
    }

    @Test func nestingDepthInFlowAndBlockStyle() throws {
        let flow = lint(Self.header + "description: " + String(repeating: "[", count: 3_000) + String(repeating: "]", count: 3_000) + "\n")
        // LibYAML's own limit (its scanner looks ahead over the brackets) is
        // reported in crplan's words, where the nesting starts.
        let flowStop = try #require(stop(flow))
        #expect(flowStop.location == SourceLocation(line: 4, column: 15))
        #expect(flowStop.message.contains("nest too deeply here"))
        #expect(!flow.diagnostics.contains { $0.message.contains("yaml_set_max_nest_level") })
        // Within LibYAML's look-ahead, crplan's own limit stops at the 33rd level.
        let shallow = lint(Self.header + "description: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n")
        let shallowStop = try #require(stop(shallow))
        #expect(shallowStop.location == SourceLocation(line: 4, column: 14 + PlanLimits.maximumDepth - 1))
        #expect(shallowStop.message.contains("at most \(PlanLimits.maximumDepth) levels"))

        var block = Self.header + "criu:\n"
        for level in 1...100 { block += String(repeating: "  ", count: level) + "k\(level):\n" }
        #expect(stop(lint(block)) != nil)
    }

    @Test func aliasExpansionInNodes() throws {
        var text = Self.header + "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...6 {
            text += "\(Character(Unicode.Scalar(UInt8(97 + level)))): &\(Character(Unicode.Scalar(UInt8(97 + level)))) ["
            text += Array(repeating: "*\(Character(Unicode.Scalar(UInt8(96 + level))))", count: 10).joined(separator: ", ") + "]\n"
        }
        let diagnostic = try #require(stop(lint(text)))
        #expect(diagnostic.message.contains("\(PlanLimits.maximumNodes) nodes"))
        #expect(diagnostic.location != nil)
    }

    /// The node count runs over all documents of a file.
    @Test func nodesInAllDocuments() throws {
        let document = "---\n[" + Array(repeating: "x", count: 999).joined(separator: ",") + "]\n"
        let diagnostic = try #require(stop(lint(String(repeating: document, count: 120))))
        #expect(diagnostic.message.contains("more than \(PlanLimits.maximumNodes) YAML nodes"))
        #expect(diagnostic.location?.line ?? 0 > 200)
    }

    @Test func aliasExpansionInBytes() throws {
        // 16 KiB values, 300 aliases: 4.8 MiB of values from a 30 KiB file.
        let value = String(repeating: "v", count: PlanLimits.maximumScalarBytes)
        let text = Self.header + "description: &d \(value)\nextMounts:\n" + String(repeating: "  - *d\n", count: 300)
        let diagnostic = try #require(stop(lint(text)))
        #expect(diagnostic.message.contains("bytes of values"))
        #expect(diagnostic.location?.line ?? 0 > 5)
    }

    @Test func scalarLength() throws {
        let long = String(repeating: "a", count: PlanLimits.maximumScalarBytes + 1)
        let diagnostic = try #require(stop(lint(Self.header + "imageDir: /\(long)\n")))
        #expect(diagnostic.location == SourceLocation(line: 4, column: 11))
        let fits = String(repeating: "a", count: PlanLimits.maximumScalarBytes - 1)
        #expect(stop(lint(Self.header + "imageDir: /\(fits)\n")) == nil)
    }

    @Test func keysPerMapping() throws {
        var text = Self.header + "criu:\n"
        for index in 0...PlanLimits.maximumMappingKeys { text += "  k\(index): 1\n" }
        let diagnostic = try #require(stop(lint(text)))
        #expect(diagnostic.location == SourceLocation(line: 5 + PlanLimits.maximumMappingKeys, column: 3))
        #expect(diagnostic.message.contains("more than \(PlanLimits.maximumMappingKeys) keys"))
    }

    @Test func itemsPerList() throws {
        let text = Self.header + "criu:\n  extraArgs:\n" + String(repeating: "    - -t\n", count: PlanLimits.maximumSequenceItems + 1)
        let diagnostic = try #require(stop(lint(text)))
        #expect(diagnostic.location == SourceLocation(line: 6 + PlanLimits.maximumSequenceItems, column: 7))
    }

    /// A key LibYAML gives up on (over 1024 characters) is reported in
    /// crplan's words at the key, not as LibYAML's "could not find expected ':'".
    @Test func longKeyIsTranslated() throws {
        let key = String(repeating: "k", count: 1_500)
        let result = lint(Self.header + "\(key): 1\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.rule == .yamlSyntax)
        #expect(diagnostic.location == SourceLocation(line: 4, column: 1))
        #expect(diagnostic.message == "this key is longer than 1024 characters, or its `:` is missing")
    }

    @Test func twoByteOrderMarksAreOneError() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(lint(bom + Array(Self.header.utf8)).diagnostics == [])
        let twice = lint(bom + bom + Array(Self.header.utf8))
        #expect(twice.hasErrors)
        #expect(twice.diagnostics.first?.location == SourceLocation(line: 1, column: 1))
        #expect(twice.diagnostics.first?.message == "the file starts with two UTF-8 byte order marks")
        let utf16 = lint([0xFF, 0xFE] + Array(Self.header.utf8).flatMap { [$0, 0] })
        #expect(utf16.diagnostics.first?.message.contains("UTF-16") == true)
    }

    /// Values quoted in messages are cut, so aliases of a long value cannot
    /// multiply the output.
    @Test func messagesCutLongValues() throws {
        let value = String(repeating: "x", count: 10_000)
        let result = lint(Self.header + "mode: \(value)\n")
        let diagnostic = try #require(result.diagnostics.first { $0.rule == .invalidEnum })
        #expect(diagnostic.message.count < 300)
        #expect(diagnostic.message.contains("(10000 bytes)"))
    }

    /// The hostile corpus found the unset-variable message quoting a 15,000-character name whole.
    @Test func messagesCutLongEnvironmentNames() throws {
        let name = String(repeating: "A", count: 15_000)
        let result = Linter.lint(text: Self.header + "imageDir: /${env.\(name)}\n", file: "p.yaml", environment: ["HOME": "/root"])
        let diagnostic = try #require(result.diagnostics.first { $0.rule == .unsetEnvironment })
        #expect(diagnostic.message.utf8.count < 400 && (diagnostic.hint?.utf8.count ?? 0) < 600)
        #expect(diagnostic.message.contains("(15000 bytes)"))
    }

    @Test func diagnosticsPerFileAreCapped() throws {
        // 999 unknown keys with hints: capped and counted.
        var text = Self.header
        for index in 0..<(PlanLimits.maximumMappingKeys - 4) { text += "unknown\(index): 1\n" }
        let result = lint(text)
        #expect(result.diagnostics.count == PlanLimits.maximumMappingKeys - 4)
        var aliases = Self.header + "extMounts:\n  - &m {path: rel, restore: rel, bad: 1}\n"
        aliases += String(repeating: "  - *m\n", count: 600)
        let capped = lint(aliases)
        #expect(capped.diagnostics.count == PlanLimits.maximumDiagnostics + 1)
        #expect(capped.diagnostics.last?.message.contains("more problems are not shown") == true)
    }
}
