import Testing
@testable import CRPlanCore

/// LibYAML's errors reach the operator in crplan's words, at the place to
/// look: an unterminated quote at its opening quote, a too-long key at the
/// key; no LibYAML text (its problem or context strings, its C API) leaks.
@Suite struct YAMLSyntaxWordingTests {
    private func diagnostic(_ text: String) throws -> Diagnostic {
        let result = YAMLLoader.load(text, file: "plan.yaml")
        return try #require(result.diagnostics.first, "no diagnostic for \(text)")
    }

    @Test(arguments: [
        ("version: 1\nname: x\ndescription: \"never closed\nimageDir: /srv/x\n", CRPlanCore.SourceLocation(line: 3, column: 14)),
        ("version: 1\ncontainer: 'counter\n", CRPlanCore.SourceLocation(line: 2, column: 12)),
        ("restore: {pidfile: \"/run/x.pid\n", CRPlanCore.SourceLocation(line: 1, column: 20)),
        ("a: \"x\n---\nb: 1\n", CRPlanCore.SourceLocation(line: 1, column: 4)),
    ])
    func anUnterminatedQuoteIsReportedAtItsOpeningQuote(_ text: String, _ opening: CRPlanCore.SourceLocation) throws {
        let found = try diagnostic(text)
        #expect(found.location == opening)
        #expect(found.message.hasPrefix("this quoted value is never closed"))
        #expect(found.rule == .yamlSyntax)
    }

    @Test func aKeyOver1024CharactersIsNamedAsSuch() throws {
        let block = try diagnostic("version: 1\n" + String(repeating: "k", count: 1100) + ": 1\n")
        #expect(block.location == CRPlanCore.SourceLocation(line: 2, column: 1))
        #expect(block.message == "this key is longer than 1024 characters, or its `:` is missing")
        let flow = try diagnostic("criu: {" + String(repeating: "k", count: 1100) + ": 1}\n")
        #expect(flow.message.hasPrefix("the `{ … }` mapping that starts at 1:7 is not closed"))
        #expect(flow.hint?.contains("1024") == true)
    }

    @Test func deepNestingIsALimitInCrplansWords() throws {
        let found = try diagnostic("x: " + String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000) + "\n")
        #expect(found.rule == .limitExceeded)
        #expect(!found.message.contains("yaml_"))
    }

    /// Inputs that make LibYAML fail in each of its common ways.
    static let malformed: [String] = [
        "a: \"x", "a: 'x", "a: [1, 2\nb: 3\n", "a: {b: 1\nc: 2\n", "name: x\n  container: y\n", "a:\n  - 1\n b: 2\n",
        "a: 1\n- b\n", "\ta: 1\n", "a: @x\n", "a: \"\\q\"\n", "a: &\n", "a: !<x\n", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
        "a: |0\n  x\n", "a: 1\n--- x\n: y\n", "? [a\n", "key " + String(repeating: "k", count: 1100) + "\nb: 1\n",
        "a: b: c\n", "[a]: 1\n]", "a: \"x\\u00\"\n", "{a: 1}}\n", "- a\nb: 1\n",
    ]

    /// LibYAML's own wording, as its scanner, parser and reader spell it.
    static let libYAMLTexts = [
        "while scanning", "while parsing", "found unexpected", "did not find expected", "could not find expected",
        "found character that cannot start", "not allowed in this context", "yaml_set_max_nest_level", "LibYAML",
        "found undefined tag", "found unknown", "found a tab", "found an indentation", "found incompatible", "found duplicate",
        "<document start>", "simple key", "quoted scalar", "flow sequence", "flow mapping", "block mapping", "block collection",
    ]

    @Test(arguments: malformed)
    func noLibYAMLTextLeaks(_ text: String) throws {
        let result = YAMLLoader.load(text, file: "plan.yaml")
        let found = try #require(result.diagnostics.first { $0.rule == .yamlSyntax || $0.rule == .limitExceeded }, "\(text) loaded")
        let shown = found.message + " " + (found.hint ?? "")
        for raw in Self.libYAMLTexts {
            #expect(!shown.contains(raw), "\(found.message) — for \(text.debugDescription)")
        }
    }

    @Test func everyKnownProblemHasItsOwnWording() {
        let generic = YAMLSyntaxWording.describe(
            problem: "something new", context: nil, contextLocation: CRPlanCore.SourceLocation(line: 1, column: 1), longSimpleKey: false
        )
        #expect(generic.message == "this is not valid YAML")
        let known = YAMLSyntaxWording.describe(
            problem: "did not find expected key", context: "while parsing a block mapping",
            contextLocation: CRPlanCore.SourceLocation(line: 2, column: 1), longSimpleKey: false
        )
        #expect(known.message == "this line does not fit the mapping that starts at 2:1: a `key:` is expected here")
    }
}
