/// Splits a CRIU protobuf image into its entries: the magic header, then
/// each entry as a little-endian u32 size followed by that many bytes of
/// protobuf. Checks the magic, every size against the bytes left and the
/// kind's limits, before anything is decoded.
enum CRIUImageFraming {
    /// One entry's protobuf bytes and where they start in the file.
    struct Entry {
        var offset: Int
        var bytes: ArraySlice<UInt8>
    }

    static func entries(
        of bytes: [UInt8], kind: CRIUImageKind, file: String, limits: CRIUImageLimits? = nil
    ) throws(CRIUImageError) -> [Entry] {
        let limits = limits ?? kind.limits
        guard bytes.count <= limits.fileBytes else {
            throw .fileTooLarge(file: file, size: bytes.count, limit: limits.fileBytes)
        }
        let expected = kind.magic
        let headerLength = expected.count * 4
        guard bytes.count >= headerLength else {
            throw .truncated(file: file, offset: 0, needed: headerLength, available: bytes.count)
        }
        let found = (0..<expected.count).map { readU32(bytes, at: $0 * 4) }
        guard found == expected else {
            throw .wrongMagic(file: file, expected: hex(expected), found: hex(found))
        }
        var entries: [Entry] = []
        var offset = headerLength
        while offset < bytes.count {
            guard entries.count < limits.entries else { throw .tooManyEntries(file: file, limit: limits.entries) }
            let left = bytes.count - offset
            guard left >= 4 else { throw .truncated(file: file, offset: offset, needed: 4, available: left) }
            let size = Int(readU32(bytes, at: offset))
            guard size <= limits.entryBytes else {
                throw .entryTooLarge(file: file, offset: offset, size: size, limit: limits.entryBytes)
            }
            let start = offset + 4
            guard size <= bytes.count - start else {
                throw .truncated(file: file, offset: start, needed: size, available: bytes.count - start)
            }
            entries.append(Entry(offset: start, bytes: bytes[start..<(start + size)]))
            offset = start + size
        }
        return entries
    }

    private static func readU32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    private static func hex(_ values: [UInt32]) -> String {
        values.map { value in
            let digits = String(value, radix: 16)
            return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        }.joined(separator: " ")
    }
}
