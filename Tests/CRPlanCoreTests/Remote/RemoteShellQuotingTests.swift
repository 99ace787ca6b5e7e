import Testing
@testable import CRPlanCore

@Suite struct RemoteShellQuotingTests {
    @Test(arguments: [
        ("plain", "'plain'"),
        ("", "''"),
        ("a b", "'a b'"),
        ("it's", "'it'\\''s'"),
        ("'", "''\\'''"),
        ("$(rm -rf /)", "'$(rm -rf /)'"),
        ("`id`", "'`id`'"),
        ("a;b|c&d", "'a;b|c&d'"),
        ("line\nbreak", "'line\nbreak'"),
        ("-rf", "'-rf'"),
        ("naïve ☃", "'naïve ☃'"),
        ("back\\slash", "'back\\slash'"),
    ])
    func quotesEveryArgument(input: String, expected: String) throws {
        #expect(try RemoteShellQuoting.quote(input) == expected)
    }

    @Test func joinsArgvWithSpaces() throws {
        #expect(try RemoteShellQuoting.commandLine(["printf", "%s\\0", "a b", ""]) == "'printf' '%s\\0' 'a b' ''")
    }

    @Test func refusesNULEmptyAndOverlong() {
        #expect(throws: RemoteShellQuotingError.self) { try RemoteShellQuoting.quote("a\u{0}b") }
        #expect(throws: RemoteShellQuotingError.emptyCommand) { try RemoteShellQuoting.commandLine([]) }
        let long = String(repeating: "x", count: RemoteShellQuoting.maximumLineLength)
        #expect(throws: RemoteShellQuotingError.self) { try RemoteShellQuoting.commandLine(["echo", long]) }
    }

    /// A tiny POSIX single-quote parser: what a shell makes of a quoted line.
    static func unquote(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        var iterator = line.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if quoted {
                if scalar == "'" { quoted = false } else { current.unicodeScalars.append(scalar) }
            } else if scalar == "'" {
                quoted = true
                inWord = true
            } else if scalar == "\\" {
                if let next = iterator.next() { current.unicodeScalars.append(next) }
                inWord = true
            } else if scalar == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.unicodeScalars.append(scalar)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    @Test func randomArgumentsSurviveQuoting() throws {
        let alphabet = Array("ab '\"\\$`;|&()<>*?[]{}~!#\n\t-=%é☃".unicodeScalars)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let argv = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator) ?? "a"
                }))
            }
            #expect(Self.unquote(try RemoteShellQuoting.commandLine(argv)) == argv)
        }
    }
}
