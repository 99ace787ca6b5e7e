import Foundation
import Testing

/// `-` as the file name of `crplan lint` and `crplan plan`: the plan comes on
/// standard input, is read with the same bound as a file, and diagnostics
/// name it `<stdin>`.
@Suite("plans on standard input")
struct StandardInputTests {
    @Test("lint - and plan - read standard input; diagnostics say <stdin>")
    func dashReadsStandardInput() throws {
        let scratch = try ScratchDirectory("stdin")
        defer { scratch.remove() }
        let clean = try CrplanBinary.run(["lint", "-"], in: scratch, standardInput: validPlan)
        #expect(clean.exitCode == 0, "\(clean)")

        let bad = validPlan.replacingOccurrences(of: "imageDir", with: "imagedir")
        let errors = try CrplanBinary.run(["lint", "-"], in: scratch, standardInput: bad)
        #expect(errors.exitCode == 1, "\(errors)")
        #expect(errors.standardOutput.contains("<stdin>:6:1: error: unknown key `imagedir` at the top level [unknown-key]"), "\(errors)")

        let plan = try CrplanBinary.run(["plan", "-"], in: scratch, standardInput: validPlan)
        #expect(plan.exitCode == 0, "\(plan)")
        #expect(plan.standardOutput.contains("1. inspect"), "\(plan)")
        let planErrors = try CrplanBinary.run(["plan", "-"], in: scratch, standardInput: bad)
        #expect(planErrors.exitCode == 1, "\(planErrors)")
        #expect(planErrors.standardError.contains("<stdin>:6:1: error: unknown key `imagedir`"), "\(planErrors)")

        // Standard input holds one plan.
        let twice = try CrplanBinary.run(["lint", "-", "-"], in: scratch, standardInput: validPlan)
        #expect(twice.exitCode == 2, "\(twice)")
        #expect(twice.standardOutput.contains("`-` is given more than once"), "\(twice)")
    }

    @Test("standard input is bounded like a file: over 1 MiB is one limit-exceeded error")
    func bounded() throws {
        let scratch = try ScratchDirectory("stdin-large")
        defer { scratch.remove() }
        let large = validPlan + "description: \"" + String(repeating: "x", count: 1_100_000) + "\"\n"
        let output = try CrplanBinary.run(["lint", "-"], in: scratch, standardInput: large)
        #expect(output.exitCode == 1, "\(output)")
        #expect(output.standardOutput.hasPrefix("<stdin>:"), "\(output)")
        #expect(output.standardOutput.contains("[limit-exceeded]"), "\(output)")
    }
}
