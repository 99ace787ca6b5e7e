import Foundation
import Testing

/// `crplan lint`: exit codes, file:line:column, the output formats.
@Suite("crplan lint")
struct LintCommandTests {
    @Test("the examples are clean (0), errors give file:line:column (1), unreadable files give 2")
    func exitCodes() throws {
        let scratch = try ScratchDirectory("lint")
        defer { scratch.remove() }
        let clean = try CrplanBinary.run(["lint", CrplanBinary.examplesDirectory], in: scratch)
        #expect(clean.exitCode == 0, "\(clean)")

        let bad = try scratch.write(validPlan.replacingOccurrences(of: "imageDir", with: "imagedir"), "bad.yaml")
        let errors = try CrplanBinary.run(["lint", bad], in: scratch)
        #expect(errors.exitCode == 1, "\(errors)")
        #expect(errors.standardOutput.contains("bad.yaml:6:1: error: unknown key `imagedir` at the top level [unknown-key]"), "\(errors)")
        #expect(errors.standardOutput.contains("did you mean `imageDir`?"), "\(errors)")

        let missing = try CrplanBinary.run(["lint", bad, scratch.file("missing.yaml")], in: scratch)
        #expect(missing.exitCode == 2, "\(missing)")
        #expect(missing.standardOutput.contains("bad.yaml:6:1"), "the readable file is still linted: \(missing)")
    }

    @Test("--strict turns warnings into errors; json and github formats")
    func formats() throws {
        let scratch = try ScratchDirectory("lint-formats")
        defer { scratch.remove() }
        // A native plan that sets imageDir: a warning.
        let native = try scratch.write(validPlan + "mode: native\n", "native.yaml")
        let lenient = try CrplanBinary.run(["lint", native], in: scratch)
        #expect(lenient.exitCode == 0, "\(lenient)")
        #expect(lenient.standardOutput.contains("warning:"), "\(lenient)")
        let strict = try CrplanBinary.run(["lint", "--strict", native], in: scratch)
        #expect(strict.exitCode == 1, "\(strict)")

        let json = try CrplanBinary.run(["lint", "--format", "json", native], in: scratch)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]]
        let imageDir = try #require(decoded?.first { $0["rule"] as? String == "native-image-dir" }, "\(json)")
        #expect(imageDir["severity"] as? String == "warning")
        #expect(imageDir["line"] as? Int == 6)
        #expect(imageDir["column"] as? Int == 1)
        #expect(imageDir["file"] as? String == native)

        let github = try CrplanBinary.run(["lint", "--format", "github", native], in: scratch)
        #expect(github.standardOutput.contains("::warning file=\(native),line=6,col=1,title=native-image-dir::"), "\(github)")
    }

    @Test("usage errors exit 2: no file, an unknown format")
    func usage() throws {
        let scratch = try ScratchDirectory("lint-usage")
        defer { scratch.remove() }
        let none = try CrplanBinary.run(["lint"], in: scratch)
        #expect(none.exitCode == 2, "\(none)")
        #expect(none.standardError.contains("Give at least one plan file or folder."), "\(none)")
        let unknown = try CrplanBinary.run(["lint", "--format", "xml", CrplanBinary.examplesDirectory], in: scratch)
        #expect(unknown.exitCode == 2, "\(unknown)")
    }
}
