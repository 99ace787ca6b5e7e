import Foundation

/// The on-disk form of one journal record:
///
///     {"seq":7,"sha256":"<64 hex>","record":{"type":"step-started",...}}\n
///
/// The checksum is SHA-256 over `"<seq>:"` followed by the exact record
/// bytes on the line, so it is checked without re-encoding anything.
public enum JournalLine {
    static let prefix = Array(#"{"seq":"#.utf8)
    static let checksumKey = Array(#","sha256":""#.utf8)
    static let recordKey = Array(#"","record":"#.utf8)

    /// The line for `record` with sequence number `seq`, newline included.
    public static func encode(_ record: JournalRecord, seq: Int) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Array(try encoder.encode(record))
        var line = prefix + Array(String(seq).utf8) + checksumKey
        line += Array(checksum(seq: seq, body: body[...]).utf8)
        line += recordKey + body
        line += Array("}\n".utf8)
        return line
    }

    /// Why one line is not a valid record.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed(String)
        case checksumMismatch
        case undecodable(String)

        public var description: String {
            switch self {
            case .malformed(let detail): "not a journal line (\(detail))"
            case .checksumMismatch: "checksum mismatch (the line was changed or damaged)"
            case .undecodable(let detail): "checksum is right but the record cannot be read (\(detail))"
            }
        }
    }

    /// Parses one line (without its newline).
    public static func decode(_ line: ArraySlice<UInt8>) throws(Problem) -> (seq: Int, record: JournalRecord) {
        guard line.starts(with: prefix) else { throw .malformed("expected {\"seq\":") }
        var cursor = line.startIndex + prefix.count
        var seq = 0
        var digits = 0
        while cursor < line.endIndex, (0x30...0x39).contains(line[cursor]), digits < 18 {
            seq = seq * 10 + Int(line[cursor] - 0x30)
            digits += 1
            cursor += 1
        }
        guard digits > 0 else { throw .malformed("no sequence number") }
        guard line[cursor...].starts(with: checksumKey) else { throw .malformed("expected \"sha256\"") }
        cursor += checksumKey.count
        guard line.endIndex - cursor >= 64 + recordKey.count + 1 else { throw .malformed("line too short") }
        let checksumText = String(decoding: line[cursor..<(cursor + 64)], as: UTF8.self)
        cursor += 64
        guard line[cursor...].starts(with: recordKey) else { throw .malformed("expected \"record\"") }
        cursor += recordKey.count
        guard line.last == UInt8(ascii: "}") else { throw .malformed("expected a closing }") }
        let body = line[cursor..<(line.endIndex - 1)]
        guard checksum(seq: seq, body: body) == checksumText else { throw .checksumMismatch }
        do {
            let record = try JSONDecoder().decode(JournalRecord.self, from: Data(body))
            return (seq, record)
        } catch {
            throw .undecodable(String(describing: error))
        }
    }

    static func checksum(seq: Int, body: ArraySlice<UInt8>) -> String {
        SHA256Hex.of(Array(String(seq).utf8) + [UInt8(ascii: ":")] + body)
    }
}
