import Foundation

/// CRIU images under `Tests/CRPlanImagesTests/Fixtures/`, captured from real
/// checkpoints of the counter container on the e2e host (see Fixtures/README.md).
enum Fixture {
    static func bytes(_ relative: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url.appendingPathComponent(relative)))
    }
}

/// Builds image bytes by hand for hostile-input tests.
enum ImageBytes {
    static let commonMagic: UInt32 = 0x5456_4319
    static let serviceMagic: UInt32 = 0x5510_5940
    static let statsMagic: UInt32 = 0x5709_3306
    static let pstreeMagic: UInt32 = 0x5027_3030
    static let coreMagic: UInt32 = 0x5505_3847
    static let inventoryMagic: UInt32 = 0x5831_3116

    static func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
    }

    /// Magic header, then each entry with its little-endian size prefix.
    static func image(_ magic: [UInt32], entries: [[UInt8]]) -> [UInt8] {
        magic.flatMap(u32) + entries.flatMap { u32(UInt32($0.count)) + $0 }
    }

    /// A protobuf varint field.
    static func varint(_ field: Int, _ value: UInt64) -> [UInt8] {
        var bytes = [UInt8(field << 3)]
        var rest = value
        repeat {
            var byte = UInt8(rest & 0x7f)
            rest >>= 7
            if rest != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while rest != 0
        return bytes
    }

    /// A protobuf length-delimited field (length < 128).
    static func bytesField(_ field: Int, _ value: [UInt8]) -> [UInt8] {
        [UInt8(field << 3 | 2), UInt8(value.count)] + value
    }

    static func pstreeEntry(pid: UInt64, ppid: UInt64) -> [UInt8] {
        varint(1, pid) + varint(2, ppid) + varint(3, pid) + varint(4, 1) + varint(5, pid)
    }
}
