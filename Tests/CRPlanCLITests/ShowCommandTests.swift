import CRPlanCore
import Foundation
import Testing

/// `crplan show` on folders that are no checkpoint: it reads only.
@Suite("crplan show")
struct ShowCommandTests {
    @Test("a missing image dir exits 2 naming it; usage errors exit 2")
    func missingAndUsage() throws {
        let scratch = try ScratchDirectory("show")
        defer { scratch.remove() }
        let missing = try CrplanBinary.run(["show", scratch.file("none"), "--state-dir", scratch.path], in: scratch)
        #expect(missing.exitCode == 2, "\(missing)")
        #expect(missing.standardError.contains(scratch.file("none")), "\(missing)")
        let none = try CrplanBinary.run(["show"], in: scratch)
        #expect(none.exitCode == 2, "\(none)")
        let format = try CrplanBinary.run(["show", scratch.path, "--format", "yaml"], in: scratch)
        #expect(format.exitCode == 2, "\(format)")
    }

    @Test("an empty folder is shown (0) as a report whose json decodes, with no container and no runs")
    func emptyFolder() throws {
        let scratch = try ScratchDirectory("show-empty")
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.file("images"), withIntermediateDirectories: false)
        let json = try CrplanBinary.run(["show", scratch.file("images"), "--state-dir", scratch.file("state"), "--format", "json"], in: scratch)
        #expect(json.exitCode == 0, "\(json)")
        let report = try JSONDecoder().decode(CheckpointImageReport.self, from: Data(json.standardOutput.utf8))
        #expect(report.container == nil)
        #expect(report.runs.isEmpty)
    }
}
