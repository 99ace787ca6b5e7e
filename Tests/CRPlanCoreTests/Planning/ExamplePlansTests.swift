import CRPlanCore
import Foundation
import Testing

/// Every plan in `plans/examples/` lints clean and compiles, and the wiki
/// example compiles to the very steps the wiki golden tests pin.
@Suite struct ExamplePlansTests {
    static let folder = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "plans/examples")

    static let expected: [String: [String]] = [
        "wiki-aufs.yaml": ["inspect", "dump", "verify-dump-log", "wait-container-exited", "rebuild-rootfs", "restore", "write-pidfile"],
        "overlay2-roundtrip.yaml": ["inspect", "dump", "verify-dump-log", "wait-container-exited", "rebuild-rootfs", "restore", "write-pidfile"],
        "vfs-roundtrip.yaml": ["inspect", "dump", "verify-dump-log", "wait-container-exited", "rebuild-rootfs", "restore", "write-pidfile"],
        "checkpoint-only.yaml": ["inspect", "dump", "verify-dump-log"],
        "checkpoint-archive.yaml": ["inspect", "check-archive", "checkpoint-create", "capture-changes", "write-archive"],
        "restore-only.yaml": ["inspect", "load-checkpoint", "rebuild-rootfs", "restore", "write-pidfile"],
        "native-roundtrip.yaml": ["inspect", "checkpoint-create", "wait-container-exited", "start-from-checkpoint", "write-pidfile"],
        "migrate-local.yaml": [
            "inspect", "check-target", "transfer-image", "create-target", "checkpoint-create", "capture-changes", "apply-changes",
            "copy-checkpoint", "start-target", "verify-migration",
        ],
        "migrate-ssh.yaml": [
            "inspect", "check-target", "transfer-image", "create-target", "checkpoint-create", "capture-changes", "send-staging",
            "verify-staging", "apply-changes", "copy-checkpoint", "start-target", "verify-migration",
        ],
        "restore-archive.yaml": [
            "open-archive", "check-target", "create-target", "apply-changes", "copy-checkpoint", "start-target", "verify-migration",
        ],
    ]

    private func compile(_ name: String) throws -> StepGraph {
        let url = Self.folder.appending(path: name)
        let result = Linter.lint(text: try String(contentsOf: url, encoding: .utf8), file: name)
        #expect(result.diagnostics == [], "\(name) must lint clean")
        let plan = try #require(result.plan)
        return try Planner(environment: [:]).compile(plan)
    }

    @Test func theFolderHoldsExactlyTheDocumentedExamples() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(Set(names) == Set(Self.expected.keys))
    }

    @Test(arguments: expected.keys.sorted())
    func lintsCleanAndCompiles(_ name: String) throws {
        let graph = try compile(name)
        #expect(graph.steps.map(\.id) == Self.expected[name])
        let text = try String(contentsOf: Self.folder.appending(path: name), encoding: .utf8)
        #expect(text.hasPrefix("# yaml-language-server: $schema=../../Schemas/crplan-plan.v1.schema.json\n"))
    }

    @Test func wikiExampleCompilesToTheGoldenSteps() throws {
        let fromYAML = try compile("wiki-aufs.yaml")
        let fromCode = try Planner(environment: [:]).compile(PlanningFixtures.wikiPlan())
        #expect(fromYAML.steps == fromCode.steps)
    }
}
