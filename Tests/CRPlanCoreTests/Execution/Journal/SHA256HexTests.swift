import Foundation
import Testing
@testable import CRPlanCore

@Suite struct SHA256HexTests {
    @Test func knownVectors() {
        #expect(SHA256Hex.of(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hex.of(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256Hex.of(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        // Crosses several blocks with a length that needs a second padding block.
        #expect(SHA256Hex.of([UInt8](repeating: 0x61, count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func planDigestFollowsTheStepsNotTheDescription() throws {
        let text = Scenario.planText()
        let graph = Scenario.compile(text)
        #expect(try PlanDigest.of(graph) == PlanDigest.of(Scenario.compile(text)))
        #expect(try PlanDigest.of(graph).hasPrefix("sha256:"))
        let described = Scenario.compile(text + "description: only words changed\n# and a comment\n")
        #expect(try PlanDigest.of(described) == PlanDigest.of(graph))
        let changed = Scenario.compile(text.replacingOccurrences(of: "leaveRunning: false", with: "leaveRunning: false\n  logLevel: 2"))
        #expect(try PlanDigest.of(changed) != PlanDigest.of(graph))
    }
}
