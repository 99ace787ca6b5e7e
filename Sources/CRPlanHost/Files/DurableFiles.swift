import Glibc
import SystemPackage

/// The one place crplan reads and writes its own files (run folder, journal,
/// pidfiles, saved facts). A crash must never leave a half-written file that
/// looks whole, and a symbolic link planted in a run folder must never
/// redirect a write, so every open uses `O_NOFOLLOW` (final path component;
/// intermediate components are resolved as usual), every replace is
/// temp-file + fsync + rename + fsync of the directory, and every failure is
/// reported once, with the path and the errno text, never retried.
public enum DurableFiles {
    /// Permissions of files crplan creates: owner read/write only.
    public static let filePermissions: FilePermissions = [.ownerRead, .ownerWrite]
    /// Permissions of directories crplan creates: owner only.
    public static let directoryPermissions: FilePermissions = .ownerReadWriteExecute

    // MARK: Opening

    /// Opens a file without following a symbolic link at `path`, close-on-exec.
    public static func open(
        _ path: String,
        _ access: FileDescriptor.AccessMode,
        options: FileDescriptor.OpenOptions = [],
        permissions: FilePermissions? = nil
    ) throws(FileError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(
                FilePath(path), access, options: options.union([.noFollow, .closeOnExec]),
                permissions: permissions, retryOnInterrupt: true)
        } catch {
            throw classify(error, operation: "open", path: path)
        }
    }

    /// Opens a directory (read-only, for `fsync`/`fchmod`), refusing a symbolic link.
    public static func openDirectory(_ path: String) throws(FileError) -> FileDescriptor {
        do {
            return try open(path, .readOnly, options: [.directory])
        } catch where error.errno == .notDirectory {
            // Linux reports ENOTDIR, not ELOOP, for O_DIRECTORY|O_NOFOLLOW on a symbolic link.
            if (try? status(path))??.kind == .symbolicLink { throw .symbolicLink(path: path) }
            throw .notADirectory(path: path)
        }
    }

    // MARK: Directories

    /// Creates the directory at `path` (and, with `intermediates`, its missing
    /// parents) with `permissions` (exactly, regardless of the umask), and
    /// fsyncs each parent a directory was created in. An existing directory is
    /// accepted as it is; an existing symbolic link or non-directory at `path`
    /// is an error. Returns whether `path` itself was created.
    /// Before anything is created, every existing component of `path` must
    /// pass `TrustedPath.checkDirectory` (an untrusted symbolic link or
    /// writable directory on the way is refused, not created into).
    @discardableResult
    public static func createDirectory(
        _ path: String, permissions: FilePermissions = directoryPermissions, intermediates: Bool = true
    ) throws(FileError) -> Bool {
        // The parent chain is checked and its trusted links resolved (so the
        // folders fsynced are real directories); `path` itself is never
        // followed, and if it exists it must be as trusted as a parent.
        var target = FilePath(path).lexicallyNormalized()
        if let parent = parentDirectory(of: target), parent != target, let name = target.lastComponent {
            target = FilePath(try TrustedPath.checkDirectory(parent.string, allowSticky: true)).appending(name)
        }
        if try status(target.string)?.kind == .directory {
            try TrustedPath.checkDirectory(target.string)
        }
        return try createDirectoryChecked(target.string, permissions: permissions, intermediates: intermediates)
    }

    private static func createDirectoryChecked(
        _ path: String, permissions: FilePermissions, intermediates: Bool
    ) throws(FileError) -> Bool {
        let target = FilePath(path).lexicallyNormalized()
        if intermediates, let parent = parentDirectory(of: target), parent != target {
            if try status(parent.string, followingLinks: true) == nil {
                _ = try createDirectoryChecked(parent.string, permissions: permissions, intermediates: true)
            }
        }
        if Glibc.mkdir(target.string, permissions.rawValue) != 0 {
            let code = Errno(rawValue: Glibc.errno)
            guard code == .fileExists else {
                throw .system(operation: "create directory", path: target.string, errno: code)
            }
            // Existing entry: must be a real directory.
            switch try status(target.string)?.kind {
            case .directory: return false
            case .symbolicLink: throw .symbolicLink(path: target.string)
            default: throw .notADirectory(path: target.string)
            }
        }
        let directory = try openDirectory(target.string)
        defer { try? directory.close() }
        if Glibc.fchmod(directory.rawValue, permissions.rawValue) != 0 {
            throw .system(operation: "chmod", path: target.string, errno: Errno(rawValue: Glibc.errno))
        }
        try sync(directory, path: target.string)
        if let parent = parentDirectory(of: target) {
            try syncDirectory(parent.string)
        }
        return true
    }

    /// Fsyncs a directory so entries created, renamed or removed in it survive a crash.
    public static func syncDirectory(_ path: String) throws(FileError) {
        let directory = try openDirectory(path)
        defer { try? directory.close() }
        try sync(directory, path: path)
    }

    // MARK: Writing

    /// Replaces (or creates) the file at `path` with `bytes` atomically: a
    /// reader sees the old content or the new one, never a mix, even after a
    /// crash. Temp file in the same directory, fsync, rename, fsync directory.
    public static func writeAtomically(
        _ bytes: [UInt8], to path: String, permissions: FilePermissions = filePermissions
    ) throws(FileError) {
        let target = FilePath(path)
        guard let name = target.lastComponent?.string, let directory = parentDirectory(of: target) else {
            throw .system(operation: "write", path: path, errno: .invalidArgument)
        }
        try TrustedPath.checkDirectory(directory.string)
        let temporary = directory.appending(".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").string
        let descriptor: FileDescriptor
        do throws(FileError) {
            descriptor = try open(
                temporary, .writeOnly, options: [.create, .exclusiveCreate], permissions: permissions)
        } catch where error.errno == .noSuchFileOrDirectory {
            // The folder is what is missing; name it rather than the temp file.
            throw .system(operation: "write into", path: directory.string, errno: .noSuchFileOrDirectory)
        }
        do throws(FileError) {
            do {
                _ = try descriptor.writeAll(bytes)
            } catch {
                throw classify(error, operation: "write", path: temporary)
            }
            if Glibc.fchmod(descriptor.rawValue, permissions.rawValue) != 0 {
                throw .system(operation: "chmod", path: temporary, errno: Errno(rawValue: Glibc.errno))
            }
            try sync(descriptor, path: temporary)
            try close(descriptor, path: temporary)
        } catch {
            try? descriptor.close()
            _ = Glibc.unlink(temporary)
            throw error
        }
        if Glibc.rename(temporary, target.string) != 0 {
            let code = Errno(rawValue: Glibc.errno)
            _ = Glibc.unlink(temporary)
            throw .system(operation: "rename \(temporary) to", path: target.string, errno: code)
        }
        try syncDirectory(directory.string)
    }

    /// Convenience for text.
    public static func writeAtomically(
        _ text: String, to path: String, permissions: FilePermissions = filePermissions
    ) throws(FileError) {
        try writeAtomically(Array(text.utf8), to: path, permissions: permissions)
    }

    /// Why a `write` on `descriptor` stored less than asked, as far as the file
    /// system says without writing again (the tail must stay as it is): no
    /// free block left for crplan, or none at all. Nil when it has room (a
    /// file size limit, a signal).
    static func shortWriteCause(_ descriptor: FileDescriptor) -> String? {
        var info = statvfs()
        guard fstatvfs(descriptor.rawValue, &info) == 0 else { return nil }
        guard info.f_bavail == 0 else { return nil }
        return "No space left on device: the file system holding it is full; free space there"
    }

    /// Appends `bytes` to the file at `path` (created with `permissions` if
    /// missing, and then its directory is fsynced) with one `write` on an
    /// `O_APPEND` descriptor, then fsyncs the file (`sync: false` leaves the
    /// bytes in the page cache: a later reader sees them, a machine crash may
    /// lose them). A failed or short write,
    /// or a failed fsync, is thrown as is and never retried: the caller must
    /// treat the file's tail as unknown.
    public static func append(
        _ bytes: [UInt8], to path: String, permissions: FilePermissions = filePermissions, sync: Bool = true
    ) throws(FileError) {
        try TrustedPath.checkParent(of: path)
        var created = false
        let descriptor: FileDescriptor
        do throws(FileError) {
            descriptor = try open(path, .writeOnly, options: [.append])
        } catch where error.errno == .noSuchFileOrDirectory {
            descriptor = try open(
                path, .writeOnly, options: [.append, .create, .exclusiveCreate], permissions: permissions)
            created = true
        }
        do throws(FileError) {
            let written: Int
            do {
                written = try bytes.withUnsafeBytes { try descriptor.write($0, retryOnInterrupt: true) }
            } catch {
                throw classify(error, operation: "append to", path: path)
            }
            guard written == bytes.count else {
                throw .shortWrite(path: path, written: written, expected: bytes.count, cause: shortWriteCause(descriptor))
            }
            if sync { try Self.sync(descriptor, path: path) }
        } catch {
            try? descriptor.close()
            throw error
        }
        try close(descriptor, path: path)
        if created, let directory = parentDirectory(of: FilePath(path)) {
            try syncDirectory(directory.string)
        }
    }

    /// Cuts the file at `path` to `length` bytes and fsyncs it.
    public static func truncate(_ path: String, toLength length: Int) throws(FileError) {
        let descriptor = try open(path, .writeOnly)
        defer { try? descriptor.close() }
        do {
            try descriptor.resize(to: Int64(length), retryOnInterrupt: true)
        } catch {
            throw classify(error, operation: "truncate", path: path)
        }
        try sync(descriptor, path: path)
    }

    // MARK: Reading

    /// The whole content of the regular file at `path` (not following a
    /// symbolic link), refusing files larger than `limit` bytes.
    public static func read(_ path: String, limit: Int = 64 << 20) throws(FileError) -> [UInt8] {
        let descriptor = try open(path, .readOnly)
        defer { try? descriptor.close() }
        var info = Glibc.stat()
        guard Glibc.fstat(descriptor.rawValue, &info) == 0 else {
            throw .system(operation: "stat", path: path, errno: Errno(rawValue: Glibc.errno))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        guard info.st_size <= Int64(limit) else { throw .tooLarge(path: path, limit: limit) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { try descriptor.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw classify(error, operation: "read", path: path)
            }
            if count == 0 { break }
            guard result.count + count <= limit else { throw .tooLarge(path: path, limit: limit) }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    /// The content of `path`, or nil when nothing exists there.
    public static func readIfPresent(_ path: String, limit: Int = 64 << 20) throws(FileError) -> [UInt8]? {
        do {
            return try read(path, limit: limit)
        } catch where error.errno == .noSuchFileOrDirectory {
            return nil
        }
    }

    /// The content of `path` decoded as UTF-8 (invalid bytes replaced).
    public static func readText(_ path: String, limit: Int = 64 << 20) throws(FileError) -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }

    // MARK: Removing and renaming

    /// Removes the file (or symbolic link) at `path` and fsyncs its directory.
    /// Returns false when nothing was there.
    @discardableResult
    public static func remove(_ path: String) throws(FileError) -> Bool {
        if Glibc.unlink(path) != 0 {
            let code = Errno(rawValue: Glibc.errno)
            if code == .noSuchFileOrDirectory { return false }
            throw .system(operation: "remove", path: path, errno: code)
        }
        if let directory = parentDirectory(of: FilePath(path)) {
            try syncDirectory(directory.string)
        }
        return true
    }

    /// Removes an empty directory (`rmdir`); false if nothing was there.
    public static func removeEmptyDirectory(_ path: String) throws(FileError) -> Bool {
        if Glibc.rmdir(path) != 0 {
            let code = Errno(rawValue: Glibc.errno)
            if code == .noSuchFileOrDirectory { return false }
            throw .system(operation: "rmdir", path: path, errno: code)
        }
        return true
    }

    /// Renames `source` to `destination` and fsyncs both directories. Unless
    /// `replacing`, an existing destination is an error (`alreadyExists`):
    /// regular files use link + unlink, which cannot overwrite; anything else
    /// is checked with `lstat` first (a narrow race remains for directories).
    public static func rename(_ source: String, to destination: String, replacing: Bool = false) throws(FileError) {
        try TrustedPath.checkParent(of: source)
        try TrustedPath.checkParent(of: destination)
        if replacing {
            if Glibc.rename(source, destination) != 0 {
                throw .system(operation: "rename \(source) to", path: destination, errno: Errno(rawValue: Glibc.errno))
            }
        } else if try status(source)?.kind == .regular {
            if Glibc.link(source, destination) != 0 {
                let code = Errno(rawValue: Glibc.errno)
                if code == .fileExists { throw .alreadyExists(path: destination) }
                throw .system(operation: "link \(source) to", path: destination, errno: code)
            }
            if Glibc.unlink(source) != 0 {
                throw .system(operation: "remove", path: source, errno: Errno(rawValue: Glibc.errno))
            }
        } else {
            if try status(destination) != nil { throw .alreadyExists(path: destination) }
            if Glibc.rename(source, destination) != 0 {
                throw .system(operation: "rename \(source) to", path: destination, errno: Errno(rawValue: Glibc.errno))
            }
        }
        let directories = [FilePath(source), FilePath(destination)].compactMap { parentDirectory(of: $0)?.string }
        for directory in Set(directories).sorted() {
            try syncDirectory(directory)
        }
    }

    // MARK: Status

    /// What is at `path` (not following a final symbolic link unless
    /// `followingLinks`), or nil when nothing is.
    public static func status(_ path: String, followingLinks: Bool = false) throws(FileError) -> FileStatus? {
        var info = Glibc.stat()
        let result: Int32
        if followingLinks {
            result = stat(path, &info)
        } else {
            result = lstat(path, &info)
        }
        guard result == 0 else {
            let code = Errno(rawValue: Glibc.errno)
            if code == .noSuchFileOrDirectory { return nil }
            throw .system(operation: "stat", path: path, errno: code)
        }
        return FileStatus(info)
    }

    /// The names in the directory at `path` (not `.`/`..`), sorted; a
    /// symbolic link at `path` is refused.
    public static func listDirectory(_ path: String) throws(FileError) -> [String] {
        let directory = try openDirectory(path)
        guard let stream = fdopendir(directory.rawValue) else {
            let code = Errno(rawValue: Glibc.errno)
            try? directory.close()
            throw .system(operation: "list", path: path, errno: code)
        }
        defer { closedir(stream) }
        var names: [String] = []
        Glibc.errno = 0
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        if Glibc.errno != 0 {
            throw .system(operation: "list", path: path, errno: Errno(rawValue: Glibc.errno))
        }
        return names.sorted()
    }

    // MARK: Helpers

    static func parentDirectory(of path: FilePath) -> FilePath? {
        let normalized = path.lexicallyNormalized()
        guard !normalized.isEmpty, normalized.lastComponent != nil else { return nil }
        let parent = normalized.removingLastComponent()
        return parent.isEmpty ? FilePath(".") : parent
    }

    static func sync(_ descriptor: FileDescriptor, path: String) throws(FileError) {
        if Glibc.fsync(descriptor.rawValue) != 0 {
            throw .system(operation: "fsync", path: path, errno: Errno(rawValue: Glibc.errno))
        }
    }

    static func close(_ descriptor: FileDescriptor, path: String) throws(FileError) {
        do {
            try descriptor.close()
        } catch {
            throw classify(error, operation: "close", path: path)
        }
    }

    static func fileSize(_ descriptor: FileDescriptor, path: String) throws(FileError) -> Int64 {
        var info = Glibc.stat()
        guard Glibc.fstat(descriptor.rawValue, &info) == 0 else {
            throw .system(operation: "stat", path: path, errno: Errno(rawValue: Glibc.errno))
        }
        return Int64(info.st_size)
    }

    /// Reads up to `count` bytes at `offset` (fewer only at end of file).
    static func readRange(
        _ descriptor: FileDescriptor, path: String, offset: Int64, count: Int
    ) throws(FileError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read: Int
            do {
                read = try result.withUnsafeMutableBytes { buffer in
                    try descriptor.read(
                        fromAbsoluteOffset: offset + Int64(filled),
                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                        retryOnInterrupt: true)
                }
            } catch {
                throw classify(error, operation: "read", path: path)
            }
            if read == 0 { break }
            filled += read
        }
        result.removeLast(count - filled)
        return result
    }

    /// Maps a thrown `Errno` to a `FileError`; `ELOOP` from an `O_NOFOLLOW`
    /// open means the final component is a symbolic link.
    static func classify(_ error: any Error, operation: String, path: String) -> FileError {
        guard let code = error as? Errno else {
            return .system(operation: operation, path: path, errno: .ioError)
        }
        switch code {
        case .tooManySymbolicLinkLevels where operation == "open": return .symbolicLink(path: path)
        default: return .system(operation: operation, path: path, errno: code)
        }
    }
}

/// What `lstat`/`stat` reported about a path: enough to refuse a symbolic
/// link or a non-directory and to check ownership and mode.
public struct FileStatus: Sendable, Hashable {
    /// The kind of file system object.
    public enum Kind: Sendable, Hashable {
        case regular, directory, symbolicLink, other
    }

    public var kind: Kind
    public var size: Int64
    public var permissions: FilePermissions
    public var ownerID: UInt32

    init(_ info: Glibc.stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        size = Int64(info.st_size)
        permissions = FilePermissions(rawValue: CModeT(info.st_mode & 0o7777))
        ownerID = info.st_uid
    }
}
