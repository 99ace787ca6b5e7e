import CRPlanCore
import Glibc

/// A file descriptor read sequentially, as a `TarByteSource`.
struct ArchiveFileSource: TarByteSource {
    let descriptor: Int32
    let path: String

    mutating func read(upTo count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        while true {
            let n = bytes.withUnsafeMutableBytes { buffer in Glibc.read(descriptor, buffer.baseAddress, count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw ArchiveError.readFailed("\(path): \(String(cString: strerror(errno)))") }
            return Array(bytes.prefix(n))
        }
    }
}

/// Small POSIX helpers for the archive code: every open is `O_NOFOLLOW`
/// and close-on-exec; errors are `ArchiveError` naming the path.
enum ArchiveFiles {
    static func openForReading(_ path: String) throws(ArchiveError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .readFailed("\(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Creates a new file (never replacing, never through a symlink), 0600.
    static func createExclusive(_ path: String) throws(ArchiveError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .writeFailed("\(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(ArchiveError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw .writeFailed("\(path): \(String(cString: strerror(errno)))") }
            written += n
        }
    }

    static func sync(_ fd: Int32, path: String) throws(ArchiveError) {
        guard fsync(fd) == 0 else { throw .writeFailed("fsync \(path): \(String(cString: strerror(errno)))") }
    }

    static func syncDirectory(_ path: String) throws(ArchiveError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .writeFailed("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try sync(fd, path: path)
    }

    static func makeDirectory(_ path: String) throws(ArchiveError) {
        guard mkdir(path, 0o700) == 0 else { throw .writeFailed("mkdir \(path): \(String(cString: strerror(errno)))") }
    }

    /// lstat kind: "file", "directory", "symbolic link", …; nil when absent.
    static func kind(_ path: String) -> (ArchiveListingEntry.Kind, Int64)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return (.file, Int64(info.st_size))
        case S_IFDIR: return (.directory, 0)
        case S_IFLNK: return (.other("symbolic link"), 0)
        case S_IFCHR: return (.other("character device"), 0)
        case S_IFBLK: return (.other("block device"), 0)
        case S_IFIFO: return (.other("fifo"), 0)
        case S_IFSOCK: return (.other("socket"), 0)
        default: return (.other("special file"), 0)
        }
    }

    /// Names in a directory (no `.`/`..`), sorted.
    static func list(_ path: String) throws(ArchiveError) -> [String] {
        guard let directory = opendir(path) else { throw .readFailed("\(path): \(String(cString: strerror(errno)))") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// SHA-256 and size of a regular file, read without following a symlink.
    static func digest(_ path: String) throws(ArchiveError) -> (String, Int64) {
        let fd = try openForReading(path)
        defer { close(fd) }
        var digest = ArchiveDigest()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .readFailed("\(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0.prefix(n))) }
        }
        return (digest.finalize(), digest.byteCount)
    }

    /// Removes a tree crplan made itself (only files and folders, no links followed).
    static func removeTree(_ path: String) {
        guard let (kind, _) = kind(path) else { return }
        if kind == .directory, let names = try? list(path) {
            for name in names { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
