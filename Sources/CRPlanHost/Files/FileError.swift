import SystemPackage

/// Why a file operation on the host failed. Every case names the path, and a
/// failed system call also names the operation and the errno text, so the
/// message alone tells an operator what to look at.
public enum FileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A system call failed (`operation` is a verb such as "open" or "fsync").
    case system(operation: String, path: String, errno: Errno)
    /// The path is a symbolic link; crplan never follows one for its own files.
    case symbolicLink(path: String)
    /// Something other than a directory exists where a directory is needed.
    case notADirectory(path: String)
    /// Something other than a regular file exists where a file is needed.
    case notARegularFile(path: String)
    /// The file is larger than the caller allowed to read.
    case tooLarge(path: String, limit: Int)
    /// The destination of a no-replace rename already exists.
    case alreadyExists(path: String)
    /// A single `write` stored fewer bytes than asked (disk full, file size limit);
    /// `cause` says which when the file system tells (`DurableFiles.shortWriteCause`).
    case shortWrite(path: String, written: Int, expected: Int, cause: String?)
    /// Someone other than root could redirect a write under `path` (see `TrustedPath`).
    case untrusted(path: String, reason: String)

    public var description: String {
        switch self {
        case .system(let operation, let path, let errno):
            "cannot \(operation) \(path): \(errno.description) (errno \(errno.rawValue))"
        case .symbolicLink(let path):
            "\(path) is a symbolic link; crplan does not follow symbolic links for its own files"
        case .notADirectory(let path):
            "\(path) exists and is not a directory"
        case .notARegularFile(let path):
            "\(path) exists and is not a regular file"
        case .tooLarge(let path, let limit):
            "\(path) is larger than \(limit) bytes"
        case .alreadyExists(let path):
            "\(path) already exists"
        case .shortWrite(let path, let written, let expected, let cause):
            "short write to \(path): \(written) of \(expected) bytes written\(cause.map { " (\($0))" } ?? ""); its end is now torn"
        case .untrusted(let path, let reason):
            "refusing to write under \(path): \(reason); fix the ownership or mode, or choose another directory"
        }
    }

    /// The errno of a failed system call, if that is what happened.
    public var errno: Errno? {
        if case .system(_, _, let errno) = self { errno } else { nil }
    }
}
