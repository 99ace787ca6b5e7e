#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CRPlanCore

/// Finds plan files under the paths given on the command line and reads them.
///
/// Lives in the CLI because CRPlanCore never touches the file system. It is
/// the one way every command reads a plan (`lint`, `plan`, `apply`, …), so
/// that one file always gets one answer, and it reads only what a plan can
/// be: a regular file of at most `PlanLimits.maximumFileBytes`. A device, a
/// FIFO or a folder is refused without reading (or blocking on) it, and the
/// folder walk never follows a symbolic link to a folder.
enum PlanFiles {
    /// A path to lint, or why a command-line path could not be used.
    enum Found: Equatable {
        case file(String)
        /// `-` on the command line: the plan comes on standard input.
        case standardInput
        case unreadable(path: String, reason: String)
    }

    /// What `-` means on the command line of `lint` and `plan`.
    static let standardInputArgument = "-"
    /// The name diagnostics give a plan read from standard input.
    static let standardInputName = "<stdin>"

    /// Files as given; folders searched recursively for `*.yaml`/`*.yml`
    /// (sorted, hidden files and folders skipped, symbolic links to
    /// folders not followed, each folder visited once).
    static func discover(_ paths: [String]) -> [Found] {
        var found: [Found] = []
        var readStandardInput = false
        for path in paths {
            if path == standardInputArgument {
                found.append(readStandardInput
                    ? .unreadable(path: standardInputName, reason: "`-` is given more than once; standard input holds one plan")
                    : .standardInput)
                readStandardInput = true
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                found.append(.unreadable(path: path, reason: currentError()))
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                var walk = Walk()
                walk.visit(path, info)
                found += walk.problems
                found += walk.files.sorted().map(Found.file)
            } else {
                found.append(.file(path))
            }
        }
        return found
    }

    /// One recursive search of a folder given on the command line.
    private struct Walk {
        var files: [String] = []
        var problems: [Found] = []
        /// Folders already searched, by device and inode (bind mounts can loop too).
        var visited: Set<[UInt64]> = []
        /// Folders inside one another; deeper ones are reported, not searched.
        static let maximumDepth = 64

        mutating func visit(_ folder: String, _ info: stat, depth: Int = 0) {
            guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
            guard depth < Self.maximumDepth else {
                problems.append(.unreadable(path: folder, reason: "folders nest more than \(Self.maximumDepth) deep here; not searched"))
                return
            }
            guard let directory = opendir(folder) else {
                problems.append(.unreadable(path: folder, reason: currentError()))
                return
            }
            defer { closedir(directory) }
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                guard !name.hasPrefix(".") else { continue }
                let path = prefix + name
                // lstat: a symbolic link is seen as one, never as its target folder.
                var own = stat()
                guard lstat(path, &own) == 0 else { continue }
                switch own.st_mode & S_IFMT {
                case S_IFDIR:
                    visit(path, own, depth: depth + 1)
                case S_IFREG:
                    if isPlanName(name) { files.append(path) }
                case S_IFLNK:
                    // A link to a plan file is linted; a link to a folder is not followed.
                    var target = stat()
                    if isPlanName(name), stat(path, &target) == 0, target.st_mode & S_IFMT == S_IFREG {
                        files.append(path)
                    }
                default:
                    continue
                }
            }
        }

        private func isPlanName(_ name: String) -> Bool {
            name.hasSuffix(".yaml") || name.hasSuffix(".yml")
        }
    }

    /// Why a path could not be read as a plan.
    enum ReadError: Error, Equatable {
        case system(String)
        /// A FIFO, device, socket or folder.
        case notRegularFile(String)
        /// Larger than `PlanLimits.maximumFileBytes`.
        case tooLarge(Int)

        var reason: String {
            switch self {
            case .system(let reason): reason
            case .notRegularFile(let kind): "it is \(kind), not a regular file; a plan is a regular file"
            case .tooLarge(let size): "it is \(size) bytes or more; a plan file may have at most \(PlanLimits.maximumFileBytes) bytes (1 MiB)"
            }
        }
    }

    /// Reads the whole file into `buffer` (kept by the caller across
    /// files, so linting many files allocates once); returns the byte count.
    ///
    /// Opens without blocking (a FIFO cannot stall it) and without making
    /// a terminal the controlling one, then checks with `fstat` on the open
    /// descriptor that it is a regular file, and reads at most one byte
    /// past the limit (files in /proc report size 0, so the size alone is
    /// not trusted).
    static func read(_ path: String, into buffer: inout [UInt8]) -> Result<Int, ReadError> {
        var before = stat()
        guard stat(path, &before) == 0 else { return .failure(.system(currentError())) }
        // Refuse a device or FIFO before opening it: opening some devices has effects.
        guard before.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegularFile(kind(before.st_mode))) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { return .failure(.system(currentError())) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.system(currentError())) }
        // The path may have been swapped since `stat`: the descriptor decides.
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegularFile(kind(info.st_mode))) }
        let limit = PlanLimits.maximumFileBytes
        guard Int(info.st_size) <= limit else { return .failure(.tooLarge(Int(info.st_size))) }
        // One byte more than the size, so a file read whole shows as a short read.
        let wanted = max(Int(info.st_size), 0) + 1
        if buffer.count < wanted { buffer = [UInt8](repeating: 0, count: max(wanted, 2 * buffer.count)) }
        var used = 0
        while true {
            if used > limit { return .failure(.tooLarge(used)) }
            if used == buffer.count { buffer += [UInt8](repeating: 0, count: min(buffer.count, limit + 1)) }
            let room = min(buffer.count, limit + 1) - used
            let got = buffer.withUnsafeMutableBytes { raw in
                systemRead(descriptor, raw.baseAddress.map { $0 + used }, room)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(.system(currentError()))
            }
            if got == 0 { break }
            used += got
        }
        return .success(used)
    }

    /// Reads standard input to its end into `buffer`, at most
    /// `PlanLimits.maximumFileBytes` (one byte more shows it is too large);
    /// a folder is refused. A pipe, a file or a terminal are all fine.
    static func readStandardInput(into buffer: inout [UInt8]) -> Result<Int, ReadError> {
        var info = stat()
        guard fstat(0, &info) == 0 else { return .failure(.system(currentError())) }
        guard info.st_mode & S_IFMT != S_IFDIR else { return .failure(.notRegularFile("a folder")) }
        let limit = PlanLimits.maximumFileBytes
        if buffer.count < limit + 1 { buffer = [UInt8](repeating: 0, count: limit + 1) }
        var used = 0
        while used <= limit {
            let got = buffer.withUnsafeMutableBytes { raw in
                systemRead(0, raw.baseAddress.map { $0 + used }, limit + 1 - used)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(.system(currentError()))
            }
            if got == 0 { break }
            used += got
        }
        return used > limit ? .failure(.tooLarge(used)) : .success(used)
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    private static func currentError() -> String {
        String(cString: strerror(errno))
    }
}
