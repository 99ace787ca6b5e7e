import Foundation

/// The plan files the schema-agreement test feeds to both crplan and the
/// JSON Schema: every plan under `plans/`, every lint fixture, and the
/// schema-only fixtures.
struct CorpusFile: Sendable, Hashable, CustomStringConvertible {
    /// Where the file is read from.
    var url: URL
    /// A short repository-relative name for messages, e.g. `Fixtures/schema/bad-empty.yaml`.
    var name: String

    var description: String { name }
    var isSchemaFixture: Bool { name.hasPrefix("Fixtures/schema/") }
    var fileName: String { url.lastPathComponent }
}

enum SchemaCorpus {
    /// The repository root, found from this file's path
    /// (`Tests/CRPlanCoreTests/Schema/SchemaCorpus.swift`).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let schemaURL = repositoryRoot.appendingPathComponent("Schemas/crplan-plan.v1.schema.json")
    static let checkerURL = repositoryRoot.appendingPathComponent("scripts/schema-check.py")

    /// The test bundle's copy of `Tests/CRPlanCoreTests/Fixtures`.
    static var fixturesRoot: URL? {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)
    }

    /// Every file, in a stable order.
    static let all: [CorpusFile] = {
        var files = yamlFiles(under: repositoryRoot.appendingPathComponent("plans"), recursive: true, prefix: "plans")
        if let fixtures = fixturesRoot {
            for folder in ["lint/invalid", "lint/valid", "schema"] {
                files += yamlFiles(under: fixtures.appendingPathComponent(folder), recursive: false, prefix: "Fixtures/\(folder)")
            }
        }
        return files
    }()

    static var schemaFixtures: [CorpusFile] { all.filter(\.isSchemaFixture) }

    /// `*.yaml` and `*.yml` below `folder` (none when it does not exist).
    static func yamlFiles(under folder: URL, recursive: Bool, prefix: String) -> [CorpusFile] {
        let manager = FileManager.default
        let relativePaths: [String]
        if recursive {
            relativePaths = (manager.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? []
        } else {
            relativePaths = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        }
        return relativePaths
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
            .map { CorpusFile(url: folder.appendingPathComponent($0), name: "\(prefix)/\($0)") }
    }

    /// The rule ids a schema fixture names on its `# expect:` line; an
    /// empty file (which cannot hold a comment) expects `empty-document`.
    static func expectedRules(of file: CorpusFile) throws -> [String] {
        let text = try String(contentsOf: file.url, encoding: .utf8)
        if text.isEmpty { return ["empty-document"] }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("# expect:") }) else { return [] }
        return line.dropFirst("# expect:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
