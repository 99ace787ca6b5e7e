@testable import CRPlanImages
import Testing

@Suite("CRIU image decoder: hostile and damaged input is refused, never trapped on")
struct CRIUImageDecoderHostileTests {
    typealias B = ImageBytes

    @Test("garbage after a valid header is a malformed entry, with file and offset")
    func garbage() {
        let bytes = B.image([B.serviceMagic, B.statsMagic], entries: [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]])
        let error = #expect(throws: CRIUImageError.self) {
            try CRIUImageDecoder.statistics(bytes, file: "stats-dump")
        }
        guard case .malformedEntry(let file, let index, let offset, _)? = error else {
            Issue.record("not a malformed entry: \(String(describing: error))")
            return
        }
        #expect(file == "stats-dump" && index == 0 && offset == 12)
    }

    @Test("a statistics entry without CRIU's required fields is refused")
    func missingRequired() {
        // stats_entry { dump { freezing_time: 5 } }: the other required fields are missing.
        let bytes = B.image([B.serviceMagic, B.statsMagic], entries: [B.bytesField(1, B.varint(1, 5))])
        let error = #expect(throws: CRIUImageError.self) {
            try CRIUImageDecoder.statistics(bytes, file: "stats-dump")
        }
        guard case .malformedEntry(_, _, _, let reason)? = error else {
            Issue.record("not a malformed entry: \(String(describing: error))")
            return
        }
        #expect(reason.contains("missing"), "\(reason)")
    }

    @Test("an empty statistics entry says neither dump nor restore")
    func emptyStatistics() {
        let bytes = B.image([B.serviceMagic, B.statsMagic], entries: [[]])
        let error = #expect(throws: CRIUImageError.self) {
            try CRIUImageDecoder.statistics(bytes, file: "stats-dump")
        }
        guard case .malformedEntry(_, _, _, let reason)? = error else {
            Issue.record("not a malformed entry: \(String(describing: error))")
            return
        }
        #expect(reason.contains("neither"), "\(reason)")
    }

    @Test("an image with a header and no entry is incomplete")
    func noEntry() {
        #expect(throws: CRIUImageError.missingEntry(file: "inventory.img")) {
            try CRIUImageDecoder.inventory(B.image([B.inventoryMagic], entries: []), file: "inventory.img")
        }
        #expect(throws: CRIUImageError.missingEntry(file: "pstree.img")) {
            try CRIUImageDecoder.processTree(B.image([B.commonMagic, B.pstreeMagic], entries: []), file: "pstree.img")
        }
    }

    @Test("a statistics file is not accepted as a process tree")
    func wrongKind() throws {
        let stats = try Fixture.bytes("external/stats-dump")
        let error = #expect(throws: CRIUImageError.self) {
            try CRIUImageDecoder.processTree(stats, file: "pstree.img")
        }
        guard case .wrongMagic? = error else {
            Issue.record("not a wrong magic: \(String(describing: error))")
            return
        }
    }

    @Test("every prefix of a real single-entry image is refused")
    func everyTruncation() throws {
        for name in ["external/stats-dump", "external/stats-restore", "external/inventory.img"] {
            let bytes = try Fixture.bytes(name)
            for length in 0..<bytes.count {
                let cut = Array(bytes.prefix(length))
                let result = Result { () throws(CRIUImageError) in
                    switch name {
                    case "external/inventory.img": _ = try CRIUImageDecoder.inventory(cut, file: name)
                    default: _ = try CRIUImageDecoder.statistics(cut, file: name)
                    }
                }
                if case .success = result {
                    Issue.record("\(name) cut to \(length) of \(bytes.count) bytes was accepted")
                }
            }
        }
    }

    @Test("a process tree cut inside its last entry is refused")
    func processTreeTruncation() throws {
        let bytes = try Fixture.bytes("external/pstree.img")
        for length in (bytes.count - 6)..<bytes.count {
            #expect(throws: CRIUImageError.self) {
                try CRIUImageDecoder.processTree(Array(bytes.prefix(length)), file: "pstree.img")
            }
        }
    }

    @Test("a core image cut anywhere is refused, never trapped on")
    func coreTruncation() throws {
        let bytes = try Fixture.bytes("external/core-1.img")
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: CRIUImageError.self) {
                try CRIUImageDecoder.core(Array(bytes.prefix(length)), file: "core-1.img")
            }
        }
    }

    @Test("flipped bytes never trap: each image decodes or is refused")
    func flippedBytes() throws {
        var generator = SplitMix(seed: 0x5EED)
        for name in ["external/stats-dump", "external/pstree.img", "external/core-1.img", "external/inventory.img"] {
            let original = try Fixture.bytes(name)
            for _ in 0..<300 {
                var bytes = original
                for _ in 0..<3 {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                }
                _ = try? CRIUImageDecoder.statistics(bytes, file: name)
                _ = try? CRIUImageDecoder.processTree(bytes, file: name)
                _ = try? CRIUImageDecoder.core(bytes, file: name)
                _ = try? CRIUImageDecoder.inventory(bytes, file: name)
            }
        }
    }
}

/// A small deterministic generator, so a failing input can be reproduced.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
