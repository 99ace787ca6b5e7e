import Foundation
import Testing
@testable import CRPlanCore

/// The source's versions for an archive's manifest: what a probe printed is
/// kept only as one bounded, printable line, and a journaled value that is
/// not is refused when the facts are read back.
@Suite struct SourceVersionsTests {
    @Test func theFirstLineOfAProbeIsKeptTrimmed() {
        #expect(SourceVersions.firstLine(of: "  20.10.24 \nsecond line\n") == "20.10.24")
        #expect(SourceVersions.firstLine(of: "6.1.0-test\n") == "6.1.0-test")
    }

    @Test func anEmptyOverlongOrUnprintableAnswerIsLeftOut() {
        #expect(SourceVersions.firstLine(of: "") == nil)
        #expect(SourceVersions.firstLine(of: "\n\n") == nil)
        #expect(SourceVersions.firstLine(of: String(repeating: "9", count: SourceVersions.maximumLineLength + 1)) == nil)
        #expect(SourceVersions.firstLine(of: "20.10\u{1b}[31m") == nil)
        #expect(SourceVersions.firstLine(of: "20.10\u{7f}") == nil)
    }

    @Test func criuVersionIsReadFromItsVersionLine() {
        #expect(SourceVersions.criuVersion(of: "Version: 4.1.1\nGitID: v4.1.1\n") == "4.1.1")
        #expect(SourceVersions.criuVersion(of: "GitID: v4.1.1\n") == nil)
        #expect(SourceVersions.criuVersion(of: "Version: " + String(repeating: "1", count: SourceVersions.maximumCRIULength + 1)) == nil)
    }

    @Test func journaledVersionsRoundTrip() throws {
        let versions = SourceVersions(engine: "20.10.24", kernel: "6.1.0-test", criu: nil)
        let decoded = try JSONDecoder().decode(SourceVersions.self, from: try JSONEncoder().encode(versions))
        #expect(decoded == versions)
    }

    @Test(arguments: [
        #"{"engine": "20.10\n24"}"#,
        #"{"kernel": ""}"#,
        #"{"criu": "4.1.1\u0007"}"#,
        "{\"criu\": \"" + String(repeating: "1", count: 65) + "\"}",
        "{\"engine\": \"" + String(repeating: "1", count: 201) + "\"}",
    ])
    func aJournaledVersionThatIsNotOneBoundedPrintableLineIsRefused(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SourceVersions.self, from: Data(json.utf8)) }
    }

    @Test func factsFromBeforeTheVersionsWereJournaledStillDecode() throws {
        let facts = MigrationFake.finishedFacts(Scenario.facts())
        let json = try #require(String(data: try JSONEncoder().encode(facts), encoding: .utf8))
        #expect(!json.contains("sourceVersions"))
        #expect(try JSONDecoder().decode(ContainerFacts.self, from: Data(json.utf8)).sourceVersions == nil)
    }
}
