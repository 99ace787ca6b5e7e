import CRPlanCore
import Foundation
import Testing

/// `crplan status`: it reads run folders and changes nothing.
@Suite("crplan status")
struct StatusCommandTests {
    @Test("an empty state dir: no runs, said on standard error (0); json prints an empty list")
    func emptyStateDirectory() throws {
        let scratch = try ScratchDirectory("status-empty")
        defer { scratch.remove() }
        let text = try CrplanBinary.run(["status", "--state-dir", scratch.path], in: scratch)
        #expect(text.exitCode == 0, "\(text)")
        #expect(text.standardOutput.isEmpty, "\(text)")
        #expect(text.standardError == "crplan: no runs in \(scratch.path)\n", "\(text)")

        let json = try CrplanBinary.run(["status", "--state-dir", scratch.path, "--format", "json"], in: scratch)
        #expect(json.exitCode == 0, "\(json)")
        #expect(try JSONDecoder().decode([RunStatus].self, from: Data(json.standardOutput.utf8)).isEmpty, "\(json)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { !$0.hasPrefix(".crplan.") }.isEmpty,
            "status created nothing")
    }

    @Test("a plan without runs is 1, named by plan name or by plan file")
    func planWithoutRuns() throws {
        let scratch = try ScratchDirectory("status-none")
        defer { scratch.remove() }
        let byName = try CrplanBinary.run(["status", "no-such-plan", "--state-dir", scratch.file("state")], in: scratch)
        #expect(byName.exitCode == 1, "\(byName)")
        #expect(byName.standardError.contains("plan no-such-plan has no run"), "\(byName)")
        let file = try scratch.write(validPlan, "good.yaml")
        let byFile = try CrplanBinary.run(["status", file, "--state-dir", scratch.file("state")], in: scratch)
        #expect(byFile.exitCode == 1, "\(byFile)")
        #expect(byFile.standardError.contains("plan cli-check has no run"), "\(byFile)")
    }

    @Test("usage errors exit 2: a relative --state-dir, an unknown format, a plan file with lint errors")
    func usage() throws {
        let scratch = try ScratchDirectory("status-usage")
        defer { scratch.remove() }
        let relative = try CrplanBinary.run(["status", "--state-dir", "relative/dir"], in: scratch)
        #expect(relative.exitCode == 2, "\(relative)")
        #expect(relative.standardError.contains("--state-dir must be an absolute path"), "\(relative)")
        let format = try CrplanBinary.run(["status", "--state-dir", scratch.path, "--format", "yaml"], in: scratch)
        #expect(format.exitCode == 2, "\(format)")
        let bad = try scratch.write(validPlan.replacingOccurrences(of: "version: 1", with: "version: 2"), "bad.yaml")
        let invalid = try CrplanBinary.run(["status", bad, "--state-dir", scratch.path], in: scratch)
        #expect(invalid.exitCode == 2, "\(invalid)")
        #expect(invalid.standardError.contains("run `crplan lint \(bad)`"), "\(invalid)")
    }
}
