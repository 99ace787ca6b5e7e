import CRPlanCore
import Foundation
import Testing

/// `crplan plan` (the dry run) and what `apply` does with a plan that does
/// not compile: nothing here touches a Docker host.
@Suite("crplan plan")
struct PlanCommandTests {
    static let examples = (try? CrplanBinary.examplePlans()) ?? []

    @Test("every example plan prints in every format (0)", arguments: examples, ["text", "json", "dot", "mermaid"])
    func examplesInEveryFormat(plan: String, format: String) throws {
        let scratch = try ScratchDirectory("plan-formats")
        defer { scratch.remove() }
        let printed = try CrplanBinary.run(["plan", plan, "--format", format], in: scratch)
        #expect(printed.exitCode == 0, "\(printed)")
        #expect(!printed.standardOutput.isEmpty, "\(printed)")
    }

    @Test("the examples are all there")
    func examplesFound() {
        #expect(Self.examples.count >= 6, "\(Self.examples)")
    }

    @Test("--format json is the step graph as data", arguments: examples)
    func jsonDecodesAsStepGraph(plan: String) throws {
        let scratch = try ScratchDirectory("plan-json")
        defer { scratch.remove() }
        let printed = try CrplanBinary.run(["plan", plan, "--format", "json"], in: scratch)
        try #require(printed.exitCode == 0, "\(printed)")
        let graph = try JSONDecoder().decode(StepGraph.self, from: Data(printed.standardOutput.utf8))
        #expect([.inspect, .loadCheckpoint, .openArchive].contains(graph.steps.first?.kind), "\(graph.steps.map(\.kind))")
        #expect(try graph.executionOrder().count == graph.steps.count)
    }

    @Test("text lists the compiled steps with their argv; invalid plans stop plan (1) and apply (2) before anything runs")
    func textAndInvalidPlans() throws {
        let scratch = try ScratchDirectory("plan")
        defer { scratch.remove() }
        let good = try scratch.write(validPlan, "good.yaml")
        let printed = try CrplanBinary.run(["plan", good], in: scratch)
        #expect(printed.exitCode == 0, "\(printed)")
        for step in ["inspect", "dump", "verify-dump-log", "wait-container-exited", "rebuild-rootfs", "restore", "write-pidfile"] {
            #expect(printed.standardOutput.contains(". \(step)\n"), "step \(step) missing: \(printed)")
        }
        #expect(printed.standardOutput.contains("criu dump -o dump.log -v4 -t ${container.pid} -D /tmp/crplan-cli/${container.id}"))

        let bad = try scratch.write(validPlan.replacingOccurrences(of: "version: 1", with: "version: 2"), "bad.yaml")
        let planned = try CrplanBinary.run(["plan", bad], in: scratch)
        #expect(planned.exitCode == 1, "\(planned)")
        #expect(planned.standardError.contains("bad.yaml:1:10: error:"), "\(planned)")

        let applied = try CrplanBinary.run(["apply", bad, "--state-dir", scratch.file("state")], in: scratch)
        #expect(applied.exitCode == 2, "\(applied)")
        #expect(applied.standardError.contains("bad.yaml:1:10: error:"), "\(applied)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("state")), "no state dir for an invalid plan")
    }

    @Test("usage errors exit 2: an unknown option, an unknown format, a missing plan file")
    func usage() throws {
        let scratch = try ScratchDirectory("plan-usage")
        defer { scratch.remove() }
        let good = try scratch.write(validPlan, "good.yaml")
        let option = try CrplanBinary.run(["plan", good, "--no-such-option"], in: scratch)
        #expect(option.exitCode == 2, "\(option)")
        #expect(option.standardError.contains("--no-such-option"), "\(option)")
        let format = try CrplanBinary.run(["plan", good, "--format", "yaml"], in: scratch)
        #expect(format.exitCode == 2, "\(format)")
        let missing = try CrplanBinary.run(["plan", scratch.file("missing.yaml")], in: scratch)
        #expect(missing.exitCode == 2, "\(missing)")
        #expect(missing.standardError.contains("missing.yaml: error: cannot read the plan"), "\(missing)")
    }
}
