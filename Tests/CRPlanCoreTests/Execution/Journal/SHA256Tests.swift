import Testing
@testable import CRPlanCore

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        // Crosses several blocks with a length that needs a second padding block.
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func planDigestIsStableAndFollowsThePlan() throws {
        let plan = Scenario.plan()
        #expect(try PlanDigest.of(plan) == PlanDigest.of(plan))
        #expect(try PlanDigest.of(plan).hasPrefix("sha256:"))
        var changed = plan
        changed.criu.logLevel = 2
        #expect(try PlanDigest.of(changed) != PlanDigest.of(plan))
    }
}
