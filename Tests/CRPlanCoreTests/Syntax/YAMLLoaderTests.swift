import Testing
@testable import CRPlanCore

@Suite struct YAMLLoaderTests {
    func load(_ text: String) -> YAMLLoadResult {
        YAMLLoader.load(text, file: "f.yaml")
    }

    func root(_ text: String) throws -> YAMLMapping {
        let result = load(text)
        #expect(result.diagnostics == [])
        guard case .mapping(let mapping)? = result.documents.first else {
            Issue.record("not a mapping")
            throw LoaderTestError.notAMapping
        }
        return mapping
    }

    enum LoaderTestError: Error { case notAMapping }

    @Test func marksOfKeysAndValuesAreOneBased() throws {
        let mapping = try root("version: 1\ncriu:\n  logLevel:   4\nlist:\n  - a\n  - 'b c'\n")
        #expect(mapping.location == SourceLocation(line: 1, column: 1))
        #expect(mapping.entries.map(\.key.value) == ["version", "criu", "list"])
        #expect(mapping.entries[0].key.location == SourceLocation(line: 1, column: 1))
        #expect(mapping.entries[0].value.location == SourceLocation(line: 1, column: 10))
        guard case .mapping(let criu) = mapping.entries[1].value else { Issue.record("criu"); return }
        #expect(criu.location == SourceLocation(line: 3, column: 3))
        #expect(criu.entries[0].key.location == SourceLocation(line: 3, column: 3))
        #expect(criu.entries[0].value.location == SourceLocation(line: 3, column: 15))
        guard case .sequence(let list) = mapping.entries[2].value else { Issue.record("list"); return }
        #expect(list.items.map(\.location) == [SourceLocation(line: 5, column: 5), SourceLocation(line: 6, column: 5)])
        #expect(list.items[1] == .scalar(YAMLScalar(value: "b c", style: .quoted, location: SourceLocation(line: 6, column: 5))))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let mapping = try root("é: ü\n")
        #expect(mapping.entries[0].value.location == SourceLocation(line: 1, column: 4))
    }

    @Test func stylesAreKept() throws {
        let mapping = try root("a: plain\nb: \"double\"\nc: 'single'\nd: |\n  block\ne:\n")
        let styles = mapping.entries.map { entry -> YAMLScalar.Style? in
            if case .scalar(let scalar) = entry.value { return scalar.style }
            return nil
        }
        #expect(styles == [.plain, .quoted, .quoted, .block, .plain])
        if case .scalar(let scalar) = mapping.entries[4].value { #expect(scalar.isNull) }
    }

    @Test func syntaxErrorsCarryLibYAMLsPosition() {
        let result = load("a: 1\nb: [1, 2\nc: 3\n")
        #expect(!result.isComplete)
        #expect(result.diagnostics.count == 1)
        let diagnostic = result.diagnostics[0]
        #expect(diagnostic.rule == .yamlSyntax)
        #expect(diagnostic.location == SourceLocation(line: 3, column: 2))
        #expect(diagnostic.message == "the `[ … ]` list that starts at 2:4 is not closed, or its items are not separated by `,` here")
    }

    @Test func invalidUTF8IsLocated() {
        let result = YAMLLoader.load([0x61, 0x3A, 0x20, 0x0A, 0x62, 0x3A, 0x20, 0xFF], file: "f.yaml")
        #expect(result.diagnostics.map(\.location) == [SourceLocation(line: 2, column: 4)])
        #expect(result.diagnostics.first?.message.contains("UTF-8") == true)
    }

    @Test func documents() {
        #expect(load("").documents == [])
        #expect(load("# only a comment\n").documents == [])
        #expect(load("a: 1\n---\nb: 2\n...\n---\n").documents.count == 3)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let result = YAMLLoader.load([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8), file: "f.yaml")
        #expect(result.diagnostics == [])
        #expect(result.documents.count == 1)
    }

    @Test func aliasesCopyTheAnchoredNode() throws {
        let mapping = try root("a: &x {k: v}\nb: *x\n")
        #expect(mapping.entries[1].value == mapping.entries[0].value)
        // A node starts at its properties (here the anchor).
        #expect(mapping.entries[1].value.location == SourceLocation(line: 1, column: 4))
    }

    @Test func unknownAliasIsASyntaxError() {
        let result = load("a: *nope\n")
        #expect(result.diagnostics.map(\.rule) == [.yamlSyntax])
        #expect(!result.isComplete)
    }

    @Test func aliasBombsAreRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...6 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let result = load(text)
        #expect(!result.isComplete)
        #expect(result.diagnostics.map(\.rule) == [.limitExceeded])
    }

    @Test func complexKeysAndTags() throws {
        let result = load("? [a]\n: 1\nb: !!str 2\nc: !custom 3\nd: !!map {}\n")
        #expect(result.isComplete)
        #expect(result.diagnostics.map(\.rule) == [.unsupportedYAML, .unsupportedYAML])
        #expect(result.diagnostics.map(\.location?.line) == [1, 4])
        guard case .mapping(let mapping)? = result.documents.first else { Issue.record("mapping"); return }
        #expect(mapping.entries.map(\.key.value) == ["b", "c", "d"])
        #expect(mapping.entries[0].value == .scalar(YAMLScalar(value: "2", style: .quoted, location: SourceLocation(line: 3, column: 4))))
    }
}
