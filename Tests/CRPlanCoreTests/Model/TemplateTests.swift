import Testing
@testable import CRPlanCore

@Suite struct TemplateTests {
    @Test func parsesVariablesAndText() throws {
        let template = try Template(parsing: "${docker.home}/containers/${container.id}/hosts")
        #expect(template.segments == [
            .variable(.dockerHome), .text("/containers/"), .variable(.containerID), .text("/hosts"),
        ])
        #expect(template.description == "${docker.home}/containers/${container.id}/hosts")
        #expect(template.hasRuntimeVariables)
    }

    @Test func environmentDefaultsNest() throws {
        let template = try Template(parsing: "${env.CRIU_IMG_DIR:-${docker.home}/criu_img}/x")
        #expect(template.variables == [
            .environment(name: "CRIU_IMG_DIR", fallback: "${docker.home}/criu_img"), .dockerHome,
        ])
        let resolved = template.substituting { $0 == .dockerHome ? Template(literal: "/d") : nil }
        #expect(resolved.description == "${env.CRIU_IMG_DIR:-/d/criu_img}/x")
    }

    @Test func rejectsUnknownAndUnterminated() {
        #expect(throws: TemplateError.unknownVariable("container.ip")) { try Template(parsing: "${container.ip}") }
        #expect(throws: TemplateError.unterminated(offset: 2)) { try Template(parsing: "/a${docker.home") }
        #expect(throws: TemplateError.badEnvironmentName("1X")) { try Template(parsing: "${env.1X}") }
    }

    @Test func durations() {
        #expect(PlanDuration(parsing: "90s")?.milliseconds == 90_000)
        #expect(PlanDuration(parsing: "1m30s")?.milliseconds == 90_000)
        #expect(PlanDuration(parsing: "1h")?.milliseconds == 3_600_000)
        #expect(PlanDuration(parsing: "250ms")?.milliseconds == 250)
        #expect(PlanDuration(parsing: "5") == nil)
        #expect(PlanDuration(parsing: "m") == nil)
        #expect(PlanDuration(parsing: "0s") == nil)
        #expect(PlanDuration(parsing: "5 m") == nil)
    }

    @Test func containerReferences() {
        #expect(ContainerReference(String(repeating: "a", count: 64))?.kind == .fullID)
        #expect(ContainerReference("168aefb8")?.kind == .idPrefixOrName)
        #expect(ContainerReference("counter")?.kind == .name)
        #expect(ContainerReference("-rm") == nil)
        #expect(ContainerReference("a") == nil)
        #expect(ContainerReference("x y") == nil)
    }
}
