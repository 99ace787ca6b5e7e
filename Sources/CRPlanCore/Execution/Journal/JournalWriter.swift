/// Appends records to a journal through `Host.appendDurably` (write +
/// fsync), or, for a record only a crash of crplan itself needs,
/// `Host.appendWithoutSync`. The first failure poisons the writer: a run
/// whose journal cannot be written stops before its next side effect, and
/// nothing is retried.
///
/// At most one record is ever written without an fsync after it: an
/// unsynced append when the last one was unsynced too is synced (which
/// flushes both). So after a machine crash the journal on disk is the
/// synced records plus at most one last line, whole, torn or missing — and
/// a torn last line is what the reader already drops. Never a damaged line
/// in the middle.
public struct JournalWriter: Sendable {
    public let path: String
    public private(set) var nextSeq: Int
    public private(set) var failure: JournalError?
    /// True while the last line written has not been fsynced.
    public private(set) var unsyncedTail = false
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

    /// Appends `record` durably (write + fsync).
    public mutating func append(_ record: JournalRecord) async throws(JournalError) {
        try await append([record], synced: true)
    }

    /// Appends `records` as consecutive lines in one write. `synced: true`
    /// fsyncs them (and anything written unsynced before them) before
    /// returning. `synced: false` leaves them in the page cache, where a
    /// crplan killed right after still leaves them for the next reader; it
    /// applies to a single record only, and only while every earlier line is
    /// synced (otherwise this append is synced).
    public mutating func append(_ records: [JournalRecord], synced: Bool) async throws(JournalError) {
        if let failure { throw failure }
        guard !records.isEmpty else { return }
        let sync = synced || records.count > 1 || unsyncedTail
        var bytes: [UInt8] = []
        var seq = nextSeq
        for record in records {
            do {
                bytes += try JournalLine.encode(record, seq: seq)
            } catch {
                let failure = JournalError.writeFailed(path: path, reason: "cannot encode a \(record.type) record: \(error)")
                self.failure = failure
                throw failure
            }
            seq += 1
        }
        do {
            if sync {
                try await host.appendDurably(to: path, contents: bytes)
            } else {
                try await host.appendWithoutSync(to: path, contents: bytes)
            }
        } catch {
            let failure = JournalError.writeFailed(path: path, reason: error.description)
            self.failure = failure
            throw failure
        }
        unsyncedTail = !sync
        nextSeq = seq
    }
}
