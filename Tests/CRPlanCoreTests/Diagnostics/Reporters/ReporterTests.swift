import Testing
@testable import CRPlanCore

@Suite struct ReporterTests {
    static let diagnostics = [
        Diagnostic(file: "plans/a.yaml", location: nil, severity: .error, rule: .emptyDocument, message: "the file holds no plan"),
        Diagnostic(
            file: "plans/a.yaml", location: SourceLocation(line: 3, column: 7), severity: .warning, rule: .unknownKey,
            message: "unknown key `imagedir`", hint: "did you mean `imageDir`?"
        ),
        Diagnostic(
            file: "b,c:d.yaml", location: SourceLocation(line: 1, column: 1), severity: .error, rule: .wrongType,
            message: "100% \"wrong\"\nline\ttwo\r", hint: nil
        ),
    ]

    @Test func text() {
        #expect(TextReporter().render(Self.diagnostics) == """
            plans/a.yaml: error: the file holds no plan [empty-document]
            plans/a.yaml:3:7: warning: unknown key `imagedir` [unknown-key]
                hint: did you mean `imageDir`?
            b,c:d.yaml:1:1: error: 100% "wrong"
            line\ttwo\r [wrong-type]

            """)
        #expect(TextReporter().render([]) == "")
    }

    @Test func coloredText() {
        let output = TextReporter(colored: true).render([Self.diagnostics[1]])
        #expect(output == "\u{1B}[1mplans/a.yaml:3:7:\u{1B}[0m \u{1B}[1;33mwarning:\u{1B}[0m unknown key `imagedir` \u{1B}[2m[unknown-key]\u{1B}[0m\n    \u{1B}[36mhint:\u{1B}[0m did you mean `imageDir`?\n")
    }

    @Test func json() {
        #expect(JSONReporter().render(Self.diagnostics) == """
            [
              {"file":"plans/a.yaml","line":null,"column":null,"severity":"error","rule":"empty-document","message":"the file holds no plan","hint":null},
              {"file":"plans/a.yaml","line":3,"column":7,"severity":"warning","rule":"unknown-key","message":"unknown key `imagedir`","hint":"did you mean `imageDir`?"},
              {"file":"b,c:d.yaml","line":1,"column":1,"severity":"error","rule":"wrong-type","message":"100% \\"wrong\\"\\nline\\ttwo\\r","hint":null}
            ]

            """)
        #expect(JSONReporter().render([]) == "[]\n")
        #expect(JSONReporter.string("\u{1}") == "\"\\u0001\"")
    }

    @Test func github() {
        #expect(GitHubReporter().render(Self.diagnostics) == """
            ::error file=plans/a.yaml,title=empty-document::the file holds no plan
            ::warning file=plans/a.yaml,line=3,col=7,title=unknown-key::unknown key `imagedir`%0Ahint: did you mean `imageDir`?
            ::error file=b%2Cc%3Ad.yaml,line=1,col=1,title=wrong-type::100%25 "wrong"%0Aline\ttwo%0D

            """)
    }
}
