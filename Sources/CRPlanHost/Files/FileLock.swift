import Glibc
import Synchronization
import SystemPackage

/// An exclusive, non-blocking `flock` on a lock file, so a second
/// `apply`/`resume`/`rollback` on the same plan or container fails at once
/// instead of racing the first. The kernel drops the lock when the holder's
/// file descriptor closes (also when it dies), so a crash never leaves a stale
/// lock; the pid written into the file is only there to name the holder in
/// the error message.
public final class FileLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Mutex<FileDescriptor?>

    private init(path: String, descriptor: FileDescriptor) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    /// Takes the lock on `path` (created 0600 if missing, never through a
    /// symbolic link) and records `pid` (default: this process) in it. Fails
    /// immediately with `FileLockError.held` if another open file description
    /// (another process, or another `acquire` in this one) holds it.
    public static func acquire(_ path: String, pid: Int32 = getpid()) throws(FileLockError) -> FileLock {
        let descriptor: FileDescriptor
        do {
            try TrustedPath.checkParent(of: path)
            descriptor = try DurableFiles.open(
                path, .readWrite, options: [.create], permissions: DurableFiles.filePermissions)
        } catch {
            throw .file(error)
        }
        if flock(descriptor.rawValue, LOCK_EX | LOCK_NB) != 0 {
            let code = Errno(rawValue: Glibc.errno)
            let holder = code == .wouldBlock ? readHolder(descriptor) : nil
            try? descriptor.close()
            if code == .wouldBlock { throw .held(path: path, holderPid: holder) }
            throw .file(.system(operation: "lock", path: path, errno: code))
        }
        let record = Array("\(pid)\n".utf8)
        do {
            try descriptor.resize(to: 0, retryOnInterrupt: true)
            _ = try descriptor.writeAll(toAbsoluteOffset: 0, record)
        } catch {
            try? descriptor.close()
            throw .file(DurableFiles.classify(error, operation: "write", path: path))
        }
        return FileLock(path: path, descriptor: descriptor)
    }

    /// The pid recorded in the lock file at `path`, if any (whether or not it is held).
    public static func recordedHolder(_ path: String) -> Int32? {
        guard let bytes = try? DurableFiles.readIfPresent(path, limit: 64) else { return nil }
        return parsePid(bytes)
    }

    /// Whether this object still holds the lock.
    public var isHeld: Bool {
        descriptor.withLock { $0 != nil }
    }

    /// Releases the lock (closing the descriptor). The lock file stays, with
    /// the last holder's pid in it; it is harmless. Calling twice is fine.
    public func release() {
        descriptor.withLock { descriptor in
            if let held = descriptor {
                try? held.close()
                descriptor = nil
            }
        }
    }

    deinit {
        release()
    }

    private static func readHolder(_ descriptor: FileDescriptor) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = (try? buffer.withUnsafeMutableBytes {
            try descriptor.read(fromAbsoluteOffset: 0, into: $0, retryOnInterrupt: true)
        }) ?? 0
        return parsePid(Array(buffer[0..<count]))
    }

    private static func parsePid(_ bytes: [UInt8]) -> Int32? {
        let text = String(decoding: bytes, as: UTF8.self)
        return Int32(text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first ?? "")
    }
}

/// Why a lock could not be taken.
public enum FileLockError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another run holds the lock; `holderPid` is what it recorded (nil if
    /// it had not written it yet).
    case held(path: String, holderPid: Int32?)
    /// The lock file could not be opened or written.
    case file(FileError)

    public var description: String {
        switch self {
        case .held(let path, let pid?):
            "\(path) is locked by process \(pid) (another crplan run); wait for it or stop it"
        case .held(let path, nil):
            "\(path) is locked by another process (pid not recorded yet); wait for it or stop it"
        case .file(let error):
            error.description
        }
    }
}
