import Foundation
import Testing

/// `docs/ci/crplan.yml` against GitHub's workflow schema, as
/// check-jsonschema vendors it (`--builtin-schema vendor.github-workflows`).
@Suite struct CIWorkflowTests {
    static let workflow = SchemaCorpus.repositoryRoot.appendingPathComponent("docs/ci/crplan.yml")

    static func check(_ path: String) -> PythonTool.Output? {
        PythonTool.run(["-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", path])
    }

    @Test("the workflow is valid for GitHub Actions",
          .enabled(if: PythonTool.isUsable(check(workflow.path)) || PythonTool.underCI))
    func validWorkflow() throws {
        let output = try #require(Self.check(Self.workflow.path))
        #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")

        // The check can fail: an unknown trigger is refused.
        let text = try String(contentsOf: Self.workflow, encoding: .utf8)
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("crplan-broken-workflow-\(UUID().uuidString).yml")
        try text.replacing("  workflow_dispatch:\n", with: "  workflow_dispatched:\n").write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let rejected = try #require(Self.check(broken.path))
        #expect(rejected.status != 0, "\(rejected.standardOutput)")
    }

    @Test("pull requests get annotations and SARIF; the apply job is on demand, on a self-hosted runner")
    func content() throws {
        let text = try String(contentsOf: Self.workflow, encoding: .utf8)
        #expect(text.contains("crplan lint --format github plans/"))
        #expect(text.contains("lint --format sarif"))
        #expect(text.contains("workflow_dispatch:"))
        #expect(text.contains("runs-on: [self-hosted, linux, crplan]"))
        // The plan path reaches the shell through the environment only.
        #expect(!text.contains("run: crplan apply ${{"))
        #expect(text.contains("crplan apply --events json -- \"$PLAN\""))
    }
}
