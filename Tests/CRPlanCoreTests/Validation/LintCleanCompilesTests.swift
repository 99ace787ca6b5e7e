import Foundation
import Testing
@testable import CRPlanCore

/// Lint-clean means plannable: every lint fixture and example plan that
/// lints without errors in an environment compiles in that environment.
@Suite struct LintCleanCompilesTests {
    static let examples = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "plans/examples")

    static func files() -> [URL] {
        let folders = [
            LintFixtureTests.root.appendingPathComponent("valid"), LintFixtureTests.root.appendingPathComponent("invalid"),
            Bundle.module.resourceURL!.appendingPathComponent("Fixtures/schema"), examples,
        ]
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0) }
        }
    }

    /// The fixtures' environment, an empty one, and one whose values break paths.
    static let environments: [[String: String]] = [
        LintFixtureTests.environment,
        [:],
        ["DOCKER_HOME": "/", "CRIU_IMG_DIR": "relative", "DOCKER_BINARY": "-rf", "CRIU_BINARY": "rm", "DOCKER_HOST": "-v",
         "RUN_DIR": "/etc", "DOCKER_VFS_HOME": "/var/lib/docker-vfs/"],
    ]

    @Test(arguments: files())
    func lintCleanPlansCompile(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        for environment in Self.environments {
            let result = Linter.lint(text: text, file: url.lastPathComponent, environment: environment)
            guard let plan = result.plan else {
                #expect(result.hasErrors)
                continue
            }
            #expect(throws: Never.self, "\(url.lastPathComponent) in \(environment)") {
                _ = try Planner(environment: environment).compile(plan)
            }
        }
    }

    /// The corpus holds plans that lint clean, so the test above compiles some.
    @Test func someFixturesLintClean() throws {
        let clean = try Self.files().filter { url in
            Linter.lint(text: try String(contentsOf: url, encoding: .utf8), file: "p.yaml", environment: LintFixtureTests.environment).plan != nil
        }
        #expect(clean.count >= 10)
    }
}
