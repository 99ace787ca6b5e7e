/// Why a journal cannot be used. Resume, rollback and apply stop on these
/// and touch nothing, since guessing a run's state could dump or restore twice.
public enum JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A line other than the last is damaged, or the records are out of order.
    case corrupt(path: String, line: Int, reason: String)
    /// The journal could not be read at all.
    case unreadable(path: String, reason: String)
    /// Writing or fsyncing a record failed; the run stopped before its next side effect.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let line, let reason):
            "\(path):\(line): journal is corrupt: \(reason). crplan touches nothing while the journal is damaged: "
                + "check the run by hand (`crplan status` shows what the lines before it say), then move the journal aside"
        case .unreadable(let path, let reason):
            "cannot read the journal \(path): \(reason)"
        case .writeFailed(let path, let reason):
            "cannot write the journal \(path): \(reason). The run stopped before its next side effect; "
                + "free the disk or fix the folder, then `crplan status`, `crplan resume` or `crplan rollback`"
        }
    }
}
