@testable import CRPlanImages
import Testing

@Suite("CRIU image framing: magic, size prefixes, limits")
struct CRIUImageFramingTests {
    typealias B = ImageBytes

    @Test("splits a well-formed image into its entries")
    func wellFormed() throws {
        let bytes = B.image([B.commonMagic, B.pstreeMagic], entries: [B.pstreeEntry(pid: 1, ppid: 0), B.pstreeEntry(pid: 7, ppid: 1)])
        let entries = try CRIUImageFraming.entries(of: bytes, kind: .processTree, file: "pstree.img")
        #expect(entries.count == 2)
        #expect(entries[0].offset == 12)
        #expect(Array(entries[1].bytes) == B.pstreeEntry(pid: 7, ppid: 1))
    }

    @Test("refuses another image's magic, naming both")
    func wrongMagic() {
        let bytes = B.image([B.commonMagic, B.coreMagic], entries: [])
        #expect(throws: CRIUImageError.wrongMagic(file: "pstree.img", expected: "0x54564319 0x50273030", found: "0x54564319 0x55053847")) {
            try CRIUImageFraming.entries(of: bytes, kind: .processTree, file: "pstree.img")
        }
    }

    @Test("refuses a file shorter than its header")
    func shortHeader() {
        #expect(throws: CRIUImageError.truncated(file: "stats-dump", offset: 0, needed: 8, available: 3)) {
            try CRIUImageFraming.entries(of: [0x40, 0x59, 0x10], kind: .statistics, file: "stats-dump")
        }
    }

    @Test("refuses a size prefix cut short")
    func truncatedPrefix() {
        let bytes = B.image([B.inventoryMagic], entries: []) + [0x05, 0x00]
        #expect(throws: CRIUImageError.truncated(file: "inventory.img", offset: 4, needed: 4, available: 2)) {
            try CRIUImageFraming.entries(of: bytes, kind: .inventory, file: "inventory.img")
        }
    }

    @Test("refuses an entry shorter than its size prefix says")
    func truncatedEntry() {
        let bytes = B.image([B.inventoryMagic], entries: []) + B.u32(10) + [0x08, 0x02]
        #expect(throws: CRIUImageError.truncated(file: "inventory.img", offset: 8, needed: 10, available: 2)) {
            try CRIUImageFraming.entries(of: bytes, kind: .inventory, file: "inventory.img")
        }
    }

    @Test("refuses a huge size prefix before allocating anything")
    func hugeSizePrefix() {
        let bytes = B.image([B.serviceMagic, B.statsMagic], entries: []) + B.u32(0xFFFF_FFFF) + [0x0a]
        #expect(throws: CRIUImageError.entryTooLarge(file: "stats-dump", offset: 8, size: 0xFFFF_FFFF, limit: 64 << 10)) {
            try CRIUImageFraming.entries(of: bytes, kind: .statistics, file: "stats-dump")
        }
    }

    @Test("refuses more entries than the kind allows")
    func tooManyEntries() {
        let bytes = B.image([B.inventoryMagic], entries: [B.varint(1, 2), B.varint(1, 2)])
        #expect(throws: CRIUImageError.tooManyEntries(file: "inventory.img", limit: 1)) {
            try CRIUImageFraming.entries(of: bytes, kind: .inventory, file: "inventory.img")
        }
    }

    @Test("refuses a file larger than the kind's limit without looking further")
    func fileTooLarge() {
        let bytes = [UInt8](repeating: 0, count: (64 << 10) + 1)
        #expect(throws: CRIUImageError.fileTooLarge(file: "stats-dump", size: (64 << 10) + 1, limit: 64 << 10)) {
            try CRIUImageFraming.entries(of: bytes, kind: .statistics, file: "stats-dump")
        }
    }

    @Test("every message names the file and says what is wrong")
    func messages() {
        let error = CRIUImageError.entryTooLarge(file: "/d/stats-dump", offset: 8, size: 99, limit: 10)
        #expect(error.description.contains("/d/stats-dump"))
        #expect(error.description.contains("byte 8"))
        #expect(error.description.contains("damaged"))
    }
}
