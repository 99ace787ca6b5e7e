/// CRIU image bytes built by hand: magic header, size-prefixed protobuf entries.
enum CRIUBytes {
    static func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
    }

    static func image(_ magic: [UInt32], _ entries: [[UInt8]]) -> [UInt8] {
        magic.flatMap(u32) + entries.flatMap { u32(UInt32($0.count)) + $0 }
    }

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

    static func field(_ number: Int, _ value: [UInt8]) -> [UInt8] {
        [UInt8(number << 3 | 2), UInt8(value.count)] + value
    }

    static func statsDump(frozen: UInt64, written: UInt64) -> [UInt8] {
        let dump = varint(1, 900) + varint(2, frozen) + varint(3, 3_000) + varint(4, 5_000)
            + varint(5, 105) + varint(6, 0) + varint(7, written) + varint(9, 0)
        return image([0x5510_5940, 0x5709_3306], [field(1, dump)])
    }

    static func statsRestore(restored: UInt64) -> [UInt8] {
        let restore = varint(1, 0) + varint(2, 0) + varint(3, 2_000) + varint(4, 41_000) + varint(5, restored)
        return image([0x5510_5940, 0x5709_3306], [field(2, restore)])
    }

    static func pstree(_ tasks: [(pid: UInt64, ppid: UInt64)]) -> [UInt8] {
        image([0x5456_4319, 0x5027_3030], tasks.map { varint(1, $0.pid) + varint(2, $0.ppid) + varint(3, 1) + varint(4, 1) + varint(5, $0.pid) })
    }

    static func core(comm: String, state: UInt64) -> [UInt8] {
        let tc = varint(1, state) + varint(2, 0) + varint(3, 0) + varint(4, 0) + varint(5, 0) + field(6, Array(comm.utf8))
        return image([0x5456_4319, 0x5505_3847], [varint(1, 1) + field(3, tc)])
    }

    static func inventory() -> [UInt8] {
        image([0x5831_3116], [varint(1, 2) + varint(6, 0)])
    }
}
