import Foundation
import Testing
@testable import CRPlanCore

/// Every path field of a plan follows one character rule
/// (`CommandValueChecks.controlCharacterOffset`): no control character and
/// none of the non-ASCII ones that hide or disguise text (bidi overrides,
/// spaces other than U+0020, zero-width and other format characters, line
/// separators). A table of every path field × such characters, each in a
/// plan that lints clean without it.
@Suite struct PathFieldCharacterTests {
    /// Field name → its line in `plan(…)`, with the clean value.
    static let fields: [(field: String, value: String)] = [
        ("docker.home", "/var/lib/docker"),
        ("imageDir", "/var/lib/crplan/staging"),
        ("target.docker.home", "/var/lib/other"),
        ("target.docker.host", "unix:///run/other.sock"),
        ("target.mounts[0].destination", "/data"),
        ("target.mounts[0].source", "/srv/data"),
        ("target.ssh.identityFile", "/etc/crplan/ssh/id_ed25519"),
        ("target.ssh.knownHostsFile", "/etc/crplan/ssh/known_hosts"),
        ("target.ssh.controlDirectory", "/run/crplan/ssh"),
    ]

    /// A migrate plan with `field` set to `value` (YAML double-quoted, so `\u` escapes work).
    static func plan(_ field: String? = nil, _ value: String = "") -> String {
        func v(_ name: String) -> String {
            let clean = fields.first { $0.field == name }?.value ?? ""
            return "\"" + (name == field ? value : clean) + "\""
        }
        return """
            version: 1
            name: chars
            container: counter
            operation: migrate
            docker:
              home: \(v("docker.home"))
            imageDir: \(v("imageDir"))
            target:
              docker:
                home: \(v("target.docker.home"))
                host: \(v("target.docker.host"))
              mounts:
                - destination: \(v("target.mounts[0].destination"))
                  source: \(v("target.mounts[0].source"))
              ssh:
                destination: root@host-b.example
                identityFile: \(v("target.ssh.identityFile"))
                knownHostsFile: \(v("target.ssh.knownHostsFile"))
                controlDirectory: \(v("target.ssh.controlDirectory"))

            """
    }

    /// Characters that make a path read other than it is, as YAML escapes.
    static let characters = [
        "\\u202E", // RIGHT-TO-LEFT OVERRIDE
        "\\u2066", // LEFT-TO-RIGHT ISOLATE
        "\\u00A0", // NO-BREAK SPACE
        "\\u3000", // IDEOGRAPHIC SPACE
        "\\u200B", // ZERO WIDTH SPACE
        "\\uFEFF", // ZERO WIDTH NO-BREAK SPACE
        "\\u2028", // LINE SEPARATOR
        "\\u0085", // NEXT LINE (C1)
        "\\u00AD", // SOFT HYPHEN
        "\\t",
    ]

    @Test func theCleanPlanLintsClean() {
        let result = Linter.lint(text: Self.plan(), file: "plan.yaml", environment: [:])
        #expect(result.diagnostics == [], "\(result.diagnostics.map(\.message))")
    }

    @Test(arguments: fields.map(\.field), characters)
    func everyPathFieldRefusesTheCharacter(field: String, character: String) throws {
        let clean = try #require(Self.fields.first { $0.field == field }?.value)
        // In the middle of the path, after its first folder.
        let slash = clean.index(clean.startIndex, offsetBy: clean.hasPrefix("unix://") ? 8 : 1)
        let value = String(clean[..<slash]) + "ab" + character + "cd" + String(clean[slash...])
        let text = Self.plan(field, value)
        let result = Linter.lint(text: text, file: "plan.yaml", environment: [:])
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(value) }) + 1
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.contains { $0.location?.line == line && [.controlCharacter, .invalidSSH].contains($0.rule) },
                "\(field) with \(character): \(result.diagnostics.map { "\($0.location?.line ?? 0):\($0.rule.rawValue) \($0.message)" })")
        #expect(result.plan == nil)
    }

    /// Through `${env.NAME}` the same rule applies to the substituted value.
    @Test(arguments: ["\u{202E}", "\u{00A0}", "\u{200B}"])
    func aSubstitutedValueFollowsTheRuleToo(character: String) {
        let text = Self.plan("imageDir", "${env.STAGING}")
        let result = Linter.lint(text: text, file: "plan.yaml", environment: ["STAGING": "/srv/st" + character + "aging"])
        #expect(result.diagnostics.contains { $0.rule == .controlCharacter }, "\(result.diagnostics.map(\.message))")
    }

    @Test func theMessageShowsTheCharacterEscaped() throws {
        let result = Linter.lint(text: Self.plan("imageDir", "/srv/\\u202Ecod.exe"), file: "plan.yaml", environment: [:])
        let message = try #require(result.diagnostics.first { $0.rule == .controlCharacter }?.message)
        #expect(message.contains("U+202E"), "\(message)")
        #expect(!message.unicodeScalars.contains("\u{202E}"), "the message itself holds the override")
    }
}
