import Foundation
import Testing

/// Compares output with a file under `Fixtures/golden/`. With
/// `CRPLAN_UPDATE_GOLDEN=1` in the environment the file in the source tree
/// is rewritten instead (review the diff, then commit it).
enum GoldenFile {
    static func check(
        _ actual: String,
        named name: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        if ProcessInfo.processInfo.environment["CRPLAN_UPDATE_GOLDEN"] == "1" {
            let folder = URL(filePath: #filePath)
                .deletingLastPathComponent()
                .deletingLastPathComponent()
                .appending(path: "Fixtures/golden")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try actual.write(to: folder.appending(path: name), atomically: true, encoding: .utf8)
            return
        }
        let url = try PlanningFixtures.fixtureURL("golden/" + name)
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file Fixtures/golden/\(name); run with CRPLAN_UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "differs from Fixtures/golden/\(name); rerun with CRPLAN_UPDATE_GOLDEN=1 and review the diff", sourceLocation: sourceLocation)
    }
}
