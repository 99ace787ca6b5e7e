import CRPlanCore
import CRPlanHost
import Foundation
import Testing

/// Proves against the real private sshd that a remote program receives
/// exactly the argv crplan gives, whatever the bytes: the remote side runs
/// `printf '%s\0' ARGS…` and the NUL-separated output is compared.
@Suite("ssh argv against the private sshd", .serialized)
struct SSHRemoteArgvTests {
    static let hostile: [String] = [
        "plain", "", "two words", "  leading and trailing  ", "it's", "'", "''", "\"double\"", "$(touch /tmp/crplan-pwned)",
        "`id`", "$HOME", "${PATH}", "a;b", "a|b", "a&&b", "a>b", "<in", "*", "?", "[a]", "~", "~root", "#comment",
        "line\nbreak", "tab\there", "\r\n", "-n", "--", "-e", "back\\slash", "\\'", "!", "!!", "naïve ☃ 日本語", "%s\\0",
        "\u{7f}", "a\u{1b}[31m",
    ]

    static func remoteArguments(_ target: SSHTarget, _ arguments: [String]) async throws -> [String] {
        let argv = try target.argv(running: ["printf", "%s\\0"] + arguments)
        let result = try await CommandRunner().run(HostCommand(argv: argv, timeout: .seconds(60)))
        #expect(result.succeeded, "\(result.outcome): \(result.standardError.text)")
        var parts = result.standardOutput.bytes.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        #expect(parts.last == "")
        parts.removeLast()
        return parts
    }

    @Test("hostile arguments arrive byte for byte")
    func hostileArgumentsArriveUnchanged() async throws {
        let target = try SSHEnvironment.target()
        let received = try await Self.remoteArguments(target, Self.hostile)
        #expect(received == Self.hostile)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/crplan-pwned"))
    }

    @Test("random arguments arrive byte for byte over a multiplexed connection")
    func randomArgumentsOverAMultiplexedConnection() async throws {
        let target = try SSHEnvironment.target(multiplexed: true)
        defer {
            if let close = target.closeMasterArgv() {
                _ = try? Process.run(URL(fileURLWithPath: "/usr/bin/ssh"), arguments: Array(close.dropFirst())).waitUntilExit()
            }
        }
        let alphabet = Array("ab '\"\\$`;|&()<>*?[]{}~!#\n\t-=%é☃".unicodeScalars)
        for _ in 0..<5 {
            let argv = (0..<Int.random(in: 1...20)).map { _ in
                String(String.UnicodeScalarView((0..<Int.random(in: 0...16)).map { _ in alphabet.randomElement() ?? "a" }))
            }
            #expect(try await Self.remoteArguments(target, argv) == argv)
        }
    }

    @Test("host-key checking stays on: an unknown host key is refused")
    func unknownHostKeyIsRefused() async throws {
        let good = try SSHEnvironment.target()
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let empty = temp.appending("known_hosts")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let target = try SSHTarget(destination: good.destination, port: good.port, identityFile: good.identityFile, knownHostsFile: empty)
        let result = try await CommandRunner().run(HostCommand(argv: try target.argv(running: ["true"]), timeout: .seconds(60)))
        #expect(result.status == .exited(255))
        #expect(result.standardError.text.contains("Host key verification failed"))
    }
}
