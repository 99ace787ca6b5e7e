import Testing
@testable import CRPlanCore

@Suite struct CommandValueChecksTests {

    func rules(_ value: String) -> [RuleID] {
        CommandValueChecks.binaryProblems(value, subject: "`docker.binary`", expected: "docker").map(\.rule)
    }

    @Test func binaries() {
        #expect(rules("docker") == [])
        #expect(rules("/usr/bin/docker") == [])
        #expect(rules("docker-26") == [])
        #expect(rules("-rf") == [.optionLikeValue])
        #expect(rules("rm") == [.unusualBinary])
        #expect(rules("/bin/rm") == [.unusualBinary])
        #expect(rules("bin/docker") == [.relativePath])
        #expect(rules("/usr/bin/") == [.relativePath])
        #expect(rules("docker\n") == [.controlCharacter])
    }

    @Test(arguments: [
        "unix:///var/run/docker.sock", "unix:///run/crplan-e2e/ov.sock", "tcp://127.0.0.1:2375", "tcp://docker.example:2376",
        "tcp://[::1]:2375", "tcp://localhost", "ssh://me@host", "ssh://host:22", "fd://", "fd://3",
    ])
    func validHosts(_ host: String) {
        #expect(CommandValueChecks.hostProblems(host, subject: "`docker.host`").isEmpty)
    }

    @Test(arguments: [
        "-v", "unix://run/docker.sock", "unix://", "tcp://", "tcp://host:99999", "tcp://host:", "tcp://-h:1",
        "ssh://@host", "http://host", "/var/run/docker.sock", "unix:///a b", "fd://x", "unix:///run/docker.sock\nx",
    ])
    func invalidHosts(_ host: String) {
        #expect(!CommandValueChecks.hostProblems(host, subject: "`docker.host`").isEmpty)
    }

    @Test func controlCharacters() {
        #expect(CommandValueChecks.controlCharacterOffset("/a/b") == nil)
        #expect(CommandValueChecks.controlCharacterOffset("é/ü") == nil)
        #expect(CommandValueChecks.controlCharacterOffset("ab\u{0}c") == 2)
        #expect(CommandValueChecks.controlCharacterOffset("a\u{7F}") == 1)
        #expect(CommandValueChecks.controlCharacterProblem("a\tb", subject: "`x`")?.rule == .controlCharacter)
    }
}
