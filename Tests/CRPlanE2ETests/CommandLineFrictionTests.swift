import CRPlanCore
import Foundation
import Testing

/// What a new user hit at the command line (issue 8): `plan --format json`
/// with lint errors, `lint --format sarif`, the `status` name rule, the
/// completion scripts. Runs everywhere (no root, no daemon).
@Suite("crplan command line: friction fixes (no host needed)", .serialized)
struct CommandLineFrictionTests {
    static let binary = E2EHost.crplanBinaryPath(ProcessInfo.processInfo.environment)
    static let validPlan = """
        version: 1
        name: cli-check
        container: counter
        storage:
          driver: overlay2
        imageDir: /tmp/crplan-cli/${container.id}

        """

    func crplan(_ arguments: [String], in workspace: Workspace) async throws -> CommandOutput {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "CRPLAN_FAILPOINT")
        return try await LaunchedCommand([Self.binary] + arguments, environment: environment, directory: workspace.path)
            .wait(timeout: .seconds(60))
    }

    @Test("plan --format json with lint errors: the diagnostics as JSON on stdout, as lint --format json prints them (1)")
    func planJSONErrors() async throws {
        let workspace = try Workspace(label: "cli-plan-json")
        defer { workspace.remove() }
        let path = workspace.file("bad.yaml")
        try Self.validPlan.replacingOccurrences(of: "imageDir", with: "imagedir").write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try await crplan(["plan", "--format", "json", path], in: workspace)
        #expect(plan.exitCode == 1, "\(plan)")
        let lint = try await crplan(["lint", "--format", "json", path], in: workspace)
        #expect(plan.standardOutput == lint.standardOutput, "\(plan)")
        let decoded = try JSONSerialization.jsonObject(with: Data(plan.standardOutput.utf8)) as? [[String: Any]]
        #expect(decoded?.first?["rule"] as? String == "unknown-key", "\(plan)")

        // Text format: diagnostics on stderr only, nothing on stdout.
        let text = try await crplan(["plan", path], in: workspace)
        #expect(text.exitCode == 1)
        #expect(text.standardOutput.isEmpty, "\(text)")
    }

    @Test("lint --format sarif: SARIF 2.1.0 with the rule, file, line and column")
    func lintSARIF() async throws {
        let workspace = try Workspace(label: "cli-sarif")
        defer { workspace.remove() }
        let path = workspace.file("bad.yaml")
        try Self.validPlan.replacingOccurrences(of: "imageDir", with: "imagedir").write(toFile: path, atomically: true, encoding: .utf8)
        let output = try await crplan(["lint", "--format", "sarif", path], in: workspace)
        #expect(output.exitCode == 1, "\(output)")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any], "\(output)")
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "unknown-key")
        let physical = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        let region = physical?["region"] as? [String: Any]
        #expect(region?["startLine"] as? Int == 6)
        #expect(region?["startColumn"] as? Int == 1)
    }

    @Test("status NAME: a name that breaks the plan-name rule is a usage error naming that rule (2)")
    func statusNameRule() async throws {
        let workspace = try Workspace(label: "cli-status-name")
        defer { workspace.remove() }
        let output = try await crplan(["status", "web_1.prod", "--state-dir", workspace.path + "/state"], in: workspace)
        #expect(output.exitCode == 2, "\(output)")
        #expect(output.standardError.contains("may hold only lowercase letters, digits and `-`"), "\(output)")
        #expect(!output.standardError.contains("`_`, `.` and `-`"), "\(output)")
    }

    @Test("--generate-completion-script bash|zsh|fish prints a script naming the subcommands")
    func completions() async throws {
        let workspace = try Workspace(label: "cli-completion")
        defer { workspace.remove() }
        for shell in ["bash", "zsh", "fish"] {
            let output = try await crplan(["--generate-completion-script", shell], in: workspace)
            #expect(output.exitCode == 0, "\(output)")
            #expect(output.standardOutput.contains("init") && output.standardOutput.contains("lint"), "\(shell)")
        }
    }
}
