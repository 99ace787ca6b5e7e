/// One 512-byte tar header block (POSIX ustar, with GNU and pax
/// extensions recognised), parsed or built. Pure byte work: reading and
/// writing the stream is `TarStreamReader`'s and the host's job.
public struct TarHeader: Sendable, Hashable {
    public static let blockSize = 512

    /// The type flag as tar spells it.
    public enum Kind: Sendable, Hashable {
        case file, directory, paxExtended, paxGlobal, gnuLongName
        /// Anything else: symlink, hard link, device, fifo, sparse, …
        case other(UInt8)

        init(flag: UInt8) {
            switch flag {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): self = .file
            case UInt8(ascii: "5"): self = .directory
            case UInt8(ascii: "x"): self = .paxExtended
            case UInt8(ascii: "g"): self = .paxGlobal
            case UInt8(ascii: "L"): self = .gnuLongName
            default: self = .other(flag)
            }
        }

        /// A name for messages.
        public var name: String {
            switch self {
            case .file: "regular file"
            case .directory: "folder"
            case .paxExtended, .paxGlobal: "pax header"
            case .gnuLongName: "GNU long name"
            case .other(let flag):
                switch flag {
                case UInt8(ascii: "1"): "hard link"
                case UInt8(ascii: "2"): "symbolic link"
                case UInt8(ascii: "3"): "character device"
                case UInt8(ascii: "4"): "block device"
                case UInt8(ascii: "6"): "fifo"
                case UInt8(ascii: "K"): "GNU long link name"
                case UInt8(ascii: "S"): "GNU sparse file"
                default: "member of tar type '\(Character(Unicode.Scalar(flag)))'"
                }
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var size: Int64
    public var mode: UInt32
    public var modificationTime: Int64

    /// True when every byte of `block` is zero (the end-of-archive marker).
    public static func isZeroBlock(_ block: ArraySlice<UInt8>) -> Bool { block.allSatisfy { $0 == 0 } }

    /// Parses a header block: checksum, magic (`ustar\000` or GNU
    /// `ustar  \0`), octal or base-256 numbers, ustar prefix + name.
    public static func parse(_ block: ArraySlice<UInt8>, offset: Int64) throws(ArchiveError) -> TarHeader {
        guard block.count == blockSize else { throw .truncated(member: nil, offset: offset) }
        let bytes = Array(block)
        func field(_ start: Int, _ length: Int) -> ArraySlice<UInt8> { bytes[start..<(start + length)] }
        func fail(_ reason: String) -> ArchiveError { .invalidTarHeader(offset: offset, reason: reason) }

        let stored = try number(field(148, 8), offset: offset, field: "checksum")
        var sum: Int64 = 0
        for (index, byte) in bytes.enumerated() { sum += (148..<156).contains(index) ? 32 : Int64(byte) }
        guard stored == sum else { throw fail("checksum \(stored) does not match the header (\(sum))") }

        let magic = Array(field(257, 8))
        let posix = Array("ustar".utf8) + [0] + Array("00".utf8)
        let gnu = Array("ustar  ".utf8) + [0]
        guard magic == posix || magic == gnu else { throw fail("not a ustar header") }

        let name = try text(field(0, 100), offset: offset, field: "name")
        let prefix = magic == posix ? try text(field(345, 155), offset: offset, field: "prefix") : ""
        let size = try number(field(124, 12), offset: offset, field: "size")
        guard size >= 0 else { throw fail("negative size") }
        return TarHeader(
            name: prefix.isEmpty ? name : prefix + "/" + name,
            kind: Kind(flag: bytes[156]),
            size: size,
            mode: UInt32(truncatingIfNeeded: try number(field(100, 8), offset: offset, field: "mode")),
            modificationTime: try number(field(136, 12), offset: offset, field: "mtime"))
    }

    /// An octal field (NUL/space terminated) or GNU base-256 (high bit set).
    static func number(_ field: ArraySlice<UInt8>, offset: Int64, field name: String) throws(ArchiveError) -> Int64 {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 {
            guard first == 0x80, field.count <= 12 else {
                throw .invalidTarHeader(offset: offset, reason: "\(name): unsupported base-256 number")
            }
            var value: Int64 = 0
            for byte in field.dropFirst() {
                guard value <= (Int64.max >> 8) else { throw .invalidTarHeader(offset: offset, reason: "\(name): too large") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var seenDigit = false
        var ended = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard !ended else { throw .invalidTarHeader(offset: offset, reason: "\(name): garbage after the number") }
                guard value <= (Int64.max >> 3) else { throw .invalidTarHeader(offset: offset, reason: "\(name): too large") }
                value = value << 3 | Int64(byte - UInt8(ascii: "0"))
                seenDigit = true
            case 0, UInt8(ascii: " "):
                if seenDigit { ended = true }
            default:
                throw .invalidTarHeader(offset: offset, reason: "\(name): not an octal number")
            }
        }
        return value
    }

    /// A NUL-terminated UTF-8 field.
    static func text(_ field: ArraySlice<UInt8>, offset: Int64, field name: String) throws(ArchiveError) -> String {
        let content = field.prefix(while: { $0 != 0 })
        guard let string = String(validating: content, as: UTF8.self) else {
            throw .invalidTarHeader(offset: offset, reason: "\(name) is not UTF-8")
        }
        return string
    }

    // MARK: Building

    /// Header blocks for a member: a pax extended header first when the
    /// name does not fit ustar's name/prefix or the size its 11 octal digits.
    public static func blocks(
        name: String, kind: Kind, size: Int64, mode: UInt32, modificationTime: Int64
    ) -> [UInt8] {
        var records: [(String, String)] = []
        let split = splitName(name)
        if split == nil { records.append(("path", name)) }
        if size > 0o777_7777_7777 { records.append(("size", String(size))) }
        var result: [UInt8] = []
        if !records.isEmpty {
            var data: [UInt8] = []
            for (key, value) in records { data += paxRecord(key, value) }
            result += block(name: "PaxHeaders/" + String(name.suffix(80)), prefix: "", flag: UInt8(ascii: "x"),
                            size: Int64(data.count), mode: 0o644, modificationTime: modificationTime)
            result += data + padding(for: Int64(data.count))
        }
        let flag: UInt8 = switch kind {
        case .directory: UInt8(ascii: "5")
        default: UInt8(ascii: "0")
        }
        let (prefix, shortName) = split ?? ("", String(name.utf8.suffix(100).map { Character(Unicode.Scalar($0)) }))
        result += block(name: shortName, prefix: prefix, flag: flag, size: size > 0o777_7777_7777 ? 0 : size,
                        mode: mode, modificationTime: modificationTime)
        return result
    }

    /// Zero bytes that pad `size` bytes of data to a whole block.
    public static func padding(for size: Int64) -> [UInt8] {
        let remainder = Int(size % Int64(blockSize))
        return remainder == 0 ? [] : [UInt8](repeating: 0, count: blockSize - remainder)
    }

    /// The end of an archive: two zero blocks.
    public static let endOfArchive = [UInt8](repeating: 0, count: 2 * blockSize)

    /// (prefix, name) when `name` fits ustar: name ≤ 100 bytes, or split at
    /// a `/` into prefix ≤ 155 and name ≤ 100.
    static func splitName(_ name: String) -> (String, String)? {
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ("", name) }
        for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "/") {
            if index <= 155, bytes.count - index - 1 <= 100, index > 0, index < bytes.count - 1 {
                return (String(decoding: bytes[..<index], as: UTF8.self), String(decoding: bytes[(index + 1)...], as: UTF8.self))
            }
        }
        return nil
    }

    static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).utf8.count + body.utf8.count != length { length += 1 }
        return Array((String(length) + body).utf8)
    }

    static func block(name: String, prefix: String, flag: UInt8, size: Int64, mode: UInt32, modificationTime: Int64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: blockSize)
        func put(_ text: [UInt8], at start: Int, length: Int) {
            for (index, byte) in text.prefix(length).enumerated() { bytes[start + index] = byte }
        }
        func octal(_ value: Int64, length: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, length - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(Array(name.utf8), at: 0, length: 100)
        put(octal(Int64(mode & 0o7777), length: 8), at: 100, length: 8)
        put(octal(0, length: 8), at: 108, length: 8)
        put(octal(0, length: 8), at: 116, length: 8)
        put(octal(size, length: 12), at: 124, length: 12)
        put(octal(max(0, modificationTime), length: 12), at: 136, length: 12)
        put(Array(repeating: UInt8(ascii: " "), count: 8), at: 148, length: 8)
        bytes[156] = flag
        put(Array("ustar".utf8) + [0] + Array("00".utf8), at: 257, length: 8)
        put(Array("root".utf8), at: 265, length: 32)
        put(Array("root".utf8), at: 297, length: 32)
        put(Array(prefix.utf8), at: 345, length: 155)
        let sum = bytes.reduce(0) { $0 + Int64($1) }
        put(Array(String(sum, radix: 8).leftPadded(to: 6).utf8) + [0, UInt8(ascii: " ")], at: 148, length: 8)
        return bytes
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
