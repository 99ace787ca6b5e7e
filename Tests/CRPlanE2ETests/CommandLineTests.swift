import CRPlanCore
import Foundation
import Testing

/// The `crplan` executable as CI calls it, without a Docker host: exit
/// statuses, output formats, and that bad input is reported with its file,
/// line and column. Runs everywhere (no root, no daemon).
@Suite("crplan command line (no host needed)", .serialized)
struct CommandLineTests {
    static let binary = E2EHost.crplanBinaryPath(ProcessInfo.processInfo.environment)
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("plans/examples").path

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

    func write(_ text: String, _ name: String, in workspace: Workspace) throws -> String {
        let path = workspace.path + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("lint: the examples are clean (0), errors give file:line:column (1), unreadable files give 2")
    func lintExitStatuses() async throws {
        let workspace = try Workspace(label: "cli-lint")
        defer { workspace.remove() }
        let clean = try await crplan(["lint", Self.examples], in: workspace)
        #expect(clean.exitCode == 0, "\(clean)")

        let bad = try write(Self.validPlan.replacingOccurrences(of: "imageDir", with: "imagedir"), "bad.yaml", in: workspace)
        let errors = try await crplan(["lint", bad], in: workspace)
        #expect(errors.exitCode == 1, "\(errors)")
        #expect(errors.standardOutput.contains("bad.yaml:6:1: error: unknown key `imagedir` at the top level [unknown-key]"), "\(errors)")
        #expect(errors.standardOutput.contains("did you mean `imageDir`?"), "\(errors)")

        let missing = try await crplan(["lint", bad, workspace.path + "/missing.yaml"], in: workspace)
        #expect(missing.exitCode == 2, "\(missing)")
        #expect(missing.standardOutput.contains("bad.yaml:6:1"), "the readable file is still linted: \(missing)")
    }

    @Test("lint --strict turns warnings into errors; json and github formats")
    func lintFormats() async throws {
        let workspace = try Workspace(label: "cli-formats")
        defer { workspace.remove() }
        // A native plan that sets imageDir: a warning.
        let native = try write(Self.validPlan + "mode: native\n", "native.yaml", in: workspace)
        let lenient = try await crplan(["lint", native], in: workspace)
        #expect(lenient.exitCode == 0, "\(lenient)")
        #expect(lenient.standardOutput.contains("warning:"), "\(lenient)")
        let strict = try await crplan(["lint", "--strict", native], in: workspace)
        #expect(strict.exitCode == 1, "\(strict)")

        let json = try await crplan(["lint", "--format", "json", native], in: workspace)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]]
        let imageDir = try #require(decoded?.first { $0["rule"] as? String == "native-image-dir" }, "\(json)")
        #expect(imageDir["severity"] as? String == "warning")
        #expect(imageDir["line"] as? Int == 6)
        #expect(imageDir["column"] as? Int == 1)
        #expect(imageDir["file"] as? String == native)

        let github = try await crplan(["lint", "--format", "github", native], in: workspace)
        #expect(github.standardOutput.contains("::warning file=\(native),line=6,col=1,title=native-image-dir::"), "\(github)")
    }

    @Test("plan prints the compiled steps (0); invalid plans stop plan (1) and apply (2) before anything runs")
    func planAndApplyOnBadInput() async throws {
        let workspace = try Workspace(label: "cli-plan")
        defer { workspace.remove() }
        let good = try write(Self.validPlan, "good.yaml", in: workspace)
        let printed = try await crplan(["plan", good], in: workspace)
        #expect(printed.exitCode == 0, "\(printed)")
        for step in ["inspect", "dump", "verify-dump-log", "wait-container-exited", "rebuild-rootfs", "restore", "write-pidfile"] {
            #expect(printed.standardOutput.contains(". \(step)\n"), "step \(step) missing: \(printed)")
        }
        #expect(printed.standardOutput.contains("criu dump -o dump.log -v4 -t ${container.pid} -D /tmp/crplan-cli/${container.id}"))

        let bad = try write(Self.validPlan.replacingOccurrences(of: "version: 1", with: "version: 2"), "bad.yaml", in: workspace)
        let planned = try await crplan(["plan", bad], in: workspace)
        #expect(planned.exitCode == 1, "\(planned)")
        #expect(planned.standardError.contains("bad.yaml:1:10: error:"), "\(planned)")

        let applied = try await crplan(["apply", bad, "--state-dir", workspace.path + "/state"], in: workspace)
        #expect(applied.exitCode == 2, "\(applied)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/state/runs"), "no run folder for an invalid plan")
    }

    @Test("status of a plan without runs is 1; usage errors are 2")
    func statusAndUsage() async throws {
        let workspace = try Workspace(label: "cli-status")
        defer { workspace.remove() }
        let none = try await crplan(["status", "no-such-plan", "--state-dir", workspace.path + "/state"], in: workspace)
        #expect(none.exitCode == 1, "\(none)")
        let relative = try await crplan(["status", "--state-dir", "relative/dir"], in: workspace)
        #expect(relative.exitCode == 2, "\(relative)")
        let unknown = try await crplan(["lint", "--format", "xml", Self.examples], in: workspace)
        #expect(unknown.exitCode == 2, "\(unknown)")
    }
}
