/// Appends records to a journal through `Host.appendDurably` (write +
/// fsync). The first failure poisons the writer: a run whose journal cannot
/// be written stops before its next side effect, and nothing is retried.
public struct JournalWriter: Sendable {
    public let path: String
    public private(set) var nextSeq: Int
    public private(set) var failure: JournalError?
    private let host: any Host

    /// A writer that continues after `existing` records. Cuts a torn last
    /// line first, so the next record starts on a clean line.
    public static func open(host: any Host, path: String, existing: JournalContents?) async throws(JournalError) -> JournalWriter {
        if let existing, existing.tornLine != nil {
            do {
                try await host.truncateFile(at: path, toLength: existing.validLength)
            } catch {
                throw .writeFailed(path: path, reason: "cannot cut the torn last line: \(error)")
            }
        }
        return JournalWriter(host: host, path: path, nextSeq: (existing?.records.count ?? 0) + 1)
    }

    private init(host: any Host, path: String, nextSeq: Int) {
        self.host = host
        self.path = path
        self.nextSeq = nextSeq
    }

    public mutating func append(_ record: JournalRecord) async throws(JournalError) {
        if let failure { throw failure }
        let line: [UInt8]
        do {
            line = try JournalLine.encode(record, seq: nextSeq)
        } catch {
            let failure = JournalError.writeFailed(path: path, reason: "cannot encode a \(record.type) record: \(error)")
            self.failure = failure
            throw failure
        }
        do {
            try await host.appendDurably(to: path, contents: line)
        } catch {
            let failure = JournalError.writeFailed(path: path, reason: error.description)
            self.failure = failure
            throw failure
        }
        nextSeq += 1
    }
}
