import Foundation
import Testing

/// `apply`, `resume` and `rollback` where they stop before any step runs.
@Suite("crplan apply, resume, rollback")
struct RunCommandTests {
    @Test("an invalid plan stops apply, resume and rollback (2) before a state dir exists", arguments: ["apply", "resume", "rollback"])
    func invalidPlan(command: String) throws {
        let scratch = try ScratchDirectory("run-invalid")
        defer { scratch.remove() }
        let bad = try scratch.write(validPlan.replacingOccurrences(of: "imageDir", with: "imagedir"), "bad.yaml")
        let output = try CrplanBinary.run([command, bad, "--state-dir", scratch.file("state")], in: scratch)
        #expect(output.exitCode == 2, "\(output)")
        #expect(output.standardError.contains("bad.yaml:6:1: error: unknown key `imagedir`"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("state")), "\(output)")
    }

    @Test("resume and rollback with no run exit 2, create nothing, and say to apply the plan file as typed", arguments: ["resume", "rollback"])
    func withoutRun(command: String) throws {
        let scratch = try ScratchDirectory("run-resume")
        defer { scratch.remove() }
        _ = try scratch.write(validPlan, "good.yaml")
        let output = try CrplanBinary.run([command, "good.yaml", "--state-dir", scratch.file("state")], in: scratch)
        #expect(output.exitCode == 2, "\(output)")
        #expect(output.standardError.contains("crplan: error: plan cli-check has no run to continue or undo\n"), "\(output)")
        #expect(output.standardError.contains("\n  next: `crplan apply good.yaml` to start a new run\n"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("state")), "\(output)")
    }

    @Test("usage errors exit 2: no plan file, an unknown option, a relative --state-dir", arguments: ["apply", "resume", "rollback"])
    func usage(command: String) throws {
        let scratch = try ScratchDirectory("run-usage")
        defer { scratch.remove() }
        let good = try scratch.write(validPlan, "good.yaml")
        let none = try CrplanBinary.run([command], in: scratch)
        #expect(none.exitCode == 2, "\(none)")
        let option = try CrplanBinary.run([command, good, "--no-such-option"], in: scratch)
        #expect(option.exitCode == 2, "\(option)")
        let relative = try CrplanBinary.run([command, good, "--state-dir", "state"], in: scratch)
        #expect(relative.exitCode == 2, "\(relative)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("state")), "\(relative)")
    }
}
