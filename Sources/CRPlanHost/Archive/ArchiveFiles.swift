import CRPlanCore
import Glibc

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

    /// Makes this run's own staging folder `.NAME.PURPOSE-PID-RANDOM` in
    /// `parent` with one exclusive `mkdir` (0700): a path that is already
    /// there is refused, never removed (crplan did not make it). `parent`
    /// must be a folder no other user can change (root-owned, not group or
    /// world writable unless sticky: `TrustedPath`), so nobody can swap
    /// the staging folder or what is in it while crplan works and cleans up;
    /// and its real path, with no symbolic link on the way (not even root's),
    /// so what the operator named is where the result lands.
    static func makeStagingDirectory(in parent: String, for path: String, purpose: String) throws(ArchiveError) -> String {
        do { try TrustedPath.checkDirectory(parent, allowSticky: true, refusingLinks: true) } catch {
            throw .writeFailed("\(parent) cannot hold crplan's staging folder: \(error)")
        }
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let staging = parent + "/." + baseName(of: path) + ".\(purpose)-\(getpid())-\(suffix)"
        guard mkdir(staging, 0o700) == 0 else {
            throw .writeFailed("mkdir \(staging): \(String(cString: strerror(errno))); crplan never removes a path it did not make")
        }
        return staging
    }

    static func makeDirectory(_ path: String) throws(ArchiveError) {
        guard mkdir(path, 0o700) == 0 else { throw .writeFailed("mkdir \(path): \(String(cString: strerror(errno)))") }
    }

    /// lstat kind: "file", "directory", "symbolic link", …; nil when absent.
    /// With `refusingHardLinks`, a regular file with more than one link is
    /// `.other("hard link")` (an extracted archive never makes one).
    static func kind(_ path: String, refusingHardLinks: Bool = false) -> (ArchiveListingEntry.Kind, Int64)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            if refusingHardLinks && info.st_nlink > 1 { return (.other("hard link"), 0) }
            return (.file, Int64(info.st_size))
        case S_IFDIR: return (.directory, 0)
        case S_IFLNK: return (.other("symbolic link"), 0)
        case S_IFCHR: return (.other("character device"), 0)
        case S_IFBLK: return (.other("block device"), 0)
        case S_IFIFO: return (.other("fifo"), 0)
        case S_IFSOCK: return (.other("socket"), 0)
        default: return (.other("special file"), 0)
        }
    }

    /// Names in a directory (no `.`/`..`), sorted. A name that is not
    /// UTF-8 is refused, shown escaped: an archive records names as UTF-8,
    /// and skipping it would leave a file silently out.
    static func list(_ path: String) throws(ArchiveError) -> [String] {
        guard let directory = opendir(path) else { throw .readFailed("\(path): \(String(cString: strerror(errno)))") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(while: { $0 != 0 })) }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                throw .readFailed(
                    "\(path) holds \"\(PathBytes.escaped(bytes))\", a name that is not UTF-8; archives hold UTF-8 names only: "
                        + "rename or remove it")
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

    /// Copies the regular file `source` (not through a link) to the new file
    /// `destination` (0600), returning the SHA-256 and size of exactly the
    /// bytes written, so a file that changes later cannot differ from its record.
    static func copyHashing(from source: String, to destination: String) throws(ArchiveError) -> (String, Int64) {
        let input = try openForReading(source)
        defer { close(input) }
        let output = try createExclusive(destination)
        defer { close(output) }
        var digest = ArchiveDigest()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .readFailed("\(source): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            let chunk = Array(buffer.prefix(n))
            digest.update(chunk)
            try writeAll(output, chunk, path: destination)
        }
        try sync(output, path: destination)
        return (digest.finalize(), digest.byteCount)
    }

    /// Copies the regular file `source` (not through a link) to the new file
    /// `destination` (0600); refuses it when it holds more than `limit`
    /// bytes (it grew since it was measured), having copied at most `limit + 1 MiB`.
    static func copyBounded(from source: String, to destination: String, limit: Int64) throws(ArchiveError) {
        let input = try openForReading(source)
        defer { close(input) }
        let output = try createExclusive(destination)
        defer { close(output) }
        var copied: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .readFailed("\(source): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            copied += Int64(n)
            guard copied <= limit else { throw .readFailed("\(source) grew past \(limit) bytes while crplan copied it") }
            try writeAll(output, Array(buffer.prefix(n)), path: destination)
        }
        try sync(output, path: destination)
    }

    /// The folder holding `path`.
    static func parent(of path: String) -> String {
        guard let parent = PathBytes.parentAndName(path).parent else { return "." }
        return parent.isEmpty ? "/" : String(parent)
    }

    /// The last component of `path`.
    static func baseName(of path: String) -> String {
        String(PathBytes.parentAndName(path).name)
    }

    /// lstat size of a regular file, nil when `path` is anything else.
    static func regularFileSize(_ path: String) -> Int64? {
        guard let (kind, size) = kind(path), kind == .file else { return nil }
        return size
    }

    /// Gives every folder below `root` (and `root`) mode 0700 and every
    /// regular file 0600: GNU tar applies crplan's umask to the archive's
    /// modes, and checkpoint images hold the workload's memory. Only for a
    /// tree already verified to hold nothing but files and folders.
    static func restrictModes(_ root: String) throws(ArchiveError) {
        var pending = [root]
        while let folder = pending.popLast() {
            guard chmod(folder, 0o700) == 0 else { throw .writeFailed("chmod \(folder): \(String(cString: strerror(errno)))") }
            for name in try list(folder) {
                let path = folder + "/" + name
                switch kind(path)?.0 {
                case .directory?: pending.append(path)
                case .file?:
                    guard chmod(path, 0o600) == 0 else { throw .writeFailed("chmod \(path): \(String(cString: strerror(errno)))") }
                default: throw .forbiddenMemberType(path, type: "special file")
                }
            }
        }
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
