import Foundation
import Testing

/// `crplan --help` and each subcommand's help, and the exit code of a
/// command line crplan does not understand.
@Suite("crplan help and usage")
struct HelpTests {
    static let subcommands = ["lint", "plan", "apply", "resume", "rollback", "status", "export", "import", "show"]

    @Test("--help lists every subcommand (0)")
    func rootHelp() throws {
        let scratch = try ScratchDirectory("help")
        defer { scratch.remove() }
        let help = try CrplanBinary.run(["--help"], in: scratch)
        #expect(help.exitCode == 0, "\(help)")
        let listed = Set(help.standardOutput.split(separator: "\n").compactMap { line in
            line.hasPrefix("  ") ? line.split(separator: " ").first.map(String.init) : nil
        })
        for subcommand in Self.subcommands {
            #expect(listed.contains(subcommand), "`\(subcommand)` missing from --help: \(help)")
        }
    }

    @Test("each subcommand's --help shows its usage (0)", arguments: subcommands)
    func subcommandHelp(subcommand: String) throws {
        let scratch = try ScratchDirectory("help-sub")
        defer { scratch.remove() }
        let help = try CrplanBinary.run([subcommand, "--help"], in: scratch)
        #expect(help.exitCode == 0, "\(help)")
        #expect(help.standardOutput.contains("USAGE: crplan \(subcommand)"), "\(help)")
    }

    @Test("an unknown subcommand or option exits 2")
    func unknown() throws {
        let scratch = try ScratchDirectory("help-unknown")
        defer { scratch.remove() }
        let subcommand = try CrplanBinary.run(["frobnicate"], in: scratch)
        #expect(subcommand.exitCode == 2, "\(subcommand)")
        let option = try CrplanBinary.run(["--no-such-option"], in: scratch)
        #expect(option.exitCode == 2, "\(option)")
        #expect(option.standardError.contains("--no-such-option"), "\(option)")
    }

    @Test("--version prints the version (0)")
    func version() throws {
        let scratch = try ScratchDirectory("version")
        defer { scratch.remove() }
        let version = try CrplanBinary.run(["--version"], in: scratch)
        #expect(version.exitCode == 0, "\(version)")
        #expect(version.standardOutput.first?.isNumber == true, "\(version)")
    }
}
