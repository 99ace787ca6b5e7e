/// A source of archive bytes (a file, a pipe from `zstd -d`, memory).
public protocol TarByteSource {
    /// Up to `count` bytes; fewer only at the end of the stream, none at its end.
    mutating func read(upTo count: Int) throws -> [UInt8]
}

/// In-memory bytes as a `TarByteSource` (tests, small archives).
public struct TarMemorySource: TarByteSource {
    var bytes: [UInt8]
    var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func read(upTo count: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + count)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

/// A member as the reader found it (name after pax/GNU long-name records).
public struct TarMember: Sendable, Hashable {
    public var path: String
    public var kind: TarHeader.Kind
    public var size: Int64
    public var mode: UInt32
    /// Where its header starts in the (uncompressed) stream.
    public var offset: Int64
}

/// Reads a tar stream member by member for crplan's portable archive: only
/// regular files and folders are accepted (pax and GNU long-name records
/// are applied), names must pass `ArchivePath.validateSyntax` (folders may
/// end in one `/`), sizes and counts are bounded, a truncated stream and
/// non-zero bytes after the end marker are errors. Never follows or creates
/// anything: the caller decides what to do with each member's bytes.
public struct TarStreamReader<Source: TarByteSource> {
    private var source: Source
    private let limits: ArchiveLimits
    private var position: Int64 = 0
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var current: TarMember?
    private var memberCount = 0
    private var finished = false

    public init(source: Source, limits: ArchiveLimits = .standard) {
        self.source = source
        self.limits = limits
    }

    /// The next file or folder, skipping the unread data of the previous
    /// one; nil at the (verified) end of the archive.
    public mutating func nextMember() throws(ArchiveError) -> TarMember? {
        guard !finished else { return nil }
        while remaining > 0 { _ = try readData(maximum: 1 << 20) }
        try skip(padding)
        padding = 0
        current = nil
        var paxPath: String?
        var paxSize: Int64?
        var longName: String?
        while true {
            let offset = position
            let block = try readExactly(TarHeader.blockSize, member: nil)
            if TarHeader.isZeroBlock(block[...]) {
                try finishAfterZeroBlock()
                return nil
            }
            let header = try TarHeader.parse(block[...], offset: offset)
            switch header.kind {
            case .paxExtended, .paxGlobal:
                let data = try readExtension(header, offset: offset)
                if header.kind == .paxExtended {
                    let records = try Self.paxRecords(data, offset: offset)
                    if let path = records["path"] { paxPath = path }
                    if let size = records["size"] {
                        guard let value = Int64(size), value >= 0 else {
                            throw .invalidTarHeader(offset: offset, reason: "pax size \"\(size)\" is not a number")
                        }
                        paxSize = value
                    }
                }
            case .gnuLongName:
                let data = try readExtension(header, offset: offset)
                guard let name = String(validating: data.prefix(while: { $0 != 0 }), as: UTF8.self) else {
                    throw .invalidTarHeader(offset: offset, reason: "GNU long name is not UTF-8")
                }
                longName = name
            case .file, .directory:
                var path = paxPath ?? longName ?? header.name
                if header.kind == .directory, path.hasSuffix("/") { path.removeLast() }
                try ArchivePath.validateSyntax(path, limits: limits)
                let size = paxSize ?? header.size
                guard size <= limits.maximumFileSize else {
                    throw .limitExceeded("member \(path) has \(size) bytes, more than \(limits.maximumFileSize)")
                }
                if header.kind == .directory, size != 0 {
                    throw .invalidTarHeader(offset: offset, reason: "folder \(path) has a size")
                }
                memberCount += 1
                guard memberCount <= limits.maximumFiles else {
                    throw .limitExceeded("more than \(limits.maximumFiles) members")
                }
                let member = TarMember(path: path, kind: header.kind, size: size, mode: header.mode, offset: offset)
                remaining = size
                padding = Int64(TarHeader.padding(for: size).count)
                current = member
                return member
            case .other:
                let path = paxPath ?? longName ?? header.name
                throw .forbiddenMemberType(RemoteShellQuoting.display(path), type: header.kind.name)
            }
        }
    }

    /// The next part (at most `maximum` bytes) of the current member's
    /// data; nil when it has all been read.
    public mutating func readData(maximum: Int) throws(ArchiveError) -> [UInt8]? {
        guard remaining > 0 else { return nil }
        let count = Int(min(Int64(maximum), remaining))
        let bytes = try readExactly(count, member: current?.path)
        remaining -= Int64(count)
        return bytes
    }

    /// Reads the whole current member (for small ones: the manifest).
    public mutating func readAll(limit: Int) throws(ArchiveError) -> [UInt8] {
        guard remaining <= Int64(limit) else {
            throw .limitExceeded("member \(current?.path ?? "?") has \(remaining) bytes, more than \(limit)")
        }
        var result: [UInt8] = []
        while let part = try readData(maximum: 1 << 20) { result += part }
        return result
    }

    // MARK: Internals

    private mutating func readExtension(_ header: TarHeader, offset: Int64) throws(ArchiveError) -> [UInt8] {
        guard header.size <= Int64(limits.maximumExtensionHeaderSize) else {
            throw .limitExceeded("\(header.kind.name) at byte \(offset) has \(header.size) bytes")
        }
        let data = try readExactly(Int(header.size), member: nil)
        try skip(Int64(TarHeader.padding(for: header.size).count))
        return data
    }

    /// After the first zero block: a second one, then only zero bytes to the end.
    private mutating func finishAfterZeroBlock() throws(ArchiveError) {
        let second = try readUpTo(TarHeader.blockSize)
        guard second.count == TarHeader.blockSize, TarHeader.isZeroBlock(second[...]) else {
            if second.isEmpty || TarHeader.isZeroBlock(second[...]) { throw .truncated(member: nil, offset: position) }
            throw .trailingData(offset: position - Int64(second.count))
        }
        while true {
            let rest = try readUpTo(64 << 10)
            if rest.isEmpty { break }
            guard TarHeader.isZeroBlock(rest[...]) else { throw .trailingData(offset: position - Int64(rest.count)) }
        }
        finished = true
    }

    private mutating func skip(_ count: Int64) throws(ArchiveError) {
        var left = count
        while left > 0 {
            let part = try readExactly(Int(min(left, 1 << 20)), member: current?.path)
            left -= Int64(part.count)
        }
    }

    private mutating func readUpTo(_ count: Int) throws(ArchiveError) -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            let part: [UInt8]
            do {
                part = try source.read(upTo: count - result.count)
            } catch {
                throw .readFailed("\(error)")
            }
            if part.isEmpty { break }
            result += part
        }
        position += Int64(result.count)
        return result
    }

    private mutating func readExactly(_ count: Int, member: String?) throws(ArchiveError) -> [UInt8] {
        let bytes = try readUpTo(count)
        guard bytes.count == count else { throw .truncated(member: member, offset: position) }
        return bytes
    }

    /// `"<len> key=value\n"` records.
    static func paxRecords(_ data: [UInt8], offset: Int64) throws(ArchiveError) -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < data.count {
            guard let space = data[index...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: data[index..<space], as: UTF8.self)), length > 0,
                index + length <= data.count, data[index + length - 1] == UInt8(ascii: "\n")
            else {
                throw .invalidTarHeader(offset: offset, reason: "malformed pax record")
            }
            let record = data[(space + 1)..<(index + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")),
                let key = String(validating: record[record.startIndex..<equals], as: UTF8.self),
                let value = String(validating: record[(equals + 1)...], as: UTF8.self)
            else {
                throw .invalidTarHeader(offset: offset, reason: "malformed pax record")
            }
            records[key] = value
            index += length
        }
        return records
    }
}
