/// A journal file read back: its valid records, and the torn last line a
/// crash mid-write may have left (ignored, and cut before the next append).
public struct JournalContents: Sendable, Hashable {
    public struct TornLine: Sendable, Hashable {
        /// 1-based line number.
        public var line: Int
        public var reason: String
    }

    public var records: [JournalRecord]
    /// Bytes up to and including the last valid line.
    public var validLength: Int
    public var tornLine: TornLine?
}

/// Parses journal bytes. Only the final line may be damaged (a crash while
/// appending it); anything else is corruption and an error naming the line.
public enum JournalReader {
    public static func parse(_ bytes: [UInt8], path: String) throws(JournalError) -> JournalContents {
        var records: [JournalRecord] = []
        var validLength = 0
        var lineNumber = 0
        var start = 0
        var torn: JournalContents.TornLine?
        while start < bytes.count {
            lineNumber += 1
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? bytes.count
            let line = bytes[start..<end]
            let isLast = newline == nil || end + 1 == bytes.count
            guard let newline else {
                torn = .init(line: lineNumber, reason: "no newline at the end (the write was cut)")
                break
            }
            do {
                let (seq, record) = try JournalLine.decode(line)
                guard seq == records.count + 1 else {
                    throw JournalError.corrupt(path: path, line: lineNumber, reason: "sequence number \(seq), expected \(records.count + 1)")
                }
                if records.isEmpty, case .runStarted = record {} else if records.isEmpty {
                    throw JournalError.corrupt(path: path, line: lineNumber, reason: "the first record must be run-started, found \(record.type)")
                } else if case .runStarted = record {
                    throw JournalError.corrupt(path: path, line: lineNumber, reason: "a second run-started record")
                }
                // Numbers out of range are not a torn write (the checksum is right): refuse the journal,
                // whichever line holds them, before any arithmetic on them can trap.
                if let reason = JournalBounds.problem(in: record) {
                    throw JournalError.corrupt(path: path, line: lineNumber, reason: reason)
                }
                records.append(record)
                validLength = newline + 1
            } catch let problem as JournalLine.Problem {
                guard isLast else {
                    throw JournalError.corrupt(path: path, line: lineNumber, reason: problem.description)
                }
                torn = .init(line: lineNumber, reason: problem.description)
            } catch let error as JournalError {
                throw error
            } catch {
                throw JournalError.corrupt(path: path, line: lineNumber, reason: String(describing: error))
            }
            start = newline + 1
        }
        return JournalContents(records: records, validLength: validLength, tornLine: torn)
    }
}
