#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CRPlanCore

/// Finds plan files under the paths given on the command line and reads them.
///
/// Lives in the CLI because CRPlanCore never touches the file system.
enum PlanFiles {
    /// A path to lint, or why a command-line path could not be used.
    enum Found: Equatable {
        case file(String)
        case unreadable(path: String, reason: String)
    }

    /// Files as given; folders searched recursively for `*.yaml`/`*.yml`
    /// (sorted, hidden files and folders skipped).
    static func discover(_ paths: [String]) -> [Found] {
        var found: [Found] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                found.append(.unreadable(path: path, reason: currentError()))
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                var files: [String] = []
                var problems: [Found] = []
                walk(path, into: &files, problems: &problems)
                found += problems
                found += files.sorted().map(Found.file)
            } else {
                found.append(.file(path))
            }
        }
        return found
    }

    private static func walk(_ folder: String, into files: inout [String], problems: inout [Found]) {
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
            var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            var isFile = Int32(entry.pointee.d_type) == Int32(DT_REG)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) || Int32(entry.pointee.d_type) == Int32(DT_LNK) {
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                isDirectory = info.st_mode & S_IFMT == S_IFDIR
                isFile = info.st_mode & S_IFMT == S_IFREG
            }
            if isDirectory {
                walk(path, into: &files, problems: &problems)
            } else if isFile, name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                files.append(path)
            }
        }
    }

    /// Reads the whole file into `buffer` (kept by the caller across
    /// files, so linting many files allocates once); returns the byte count.
    static func read(_ path: String, into buffer: inout [UInt8]) -> Result<Int, ReadError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadError(reason: currentError())) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(ReadError(reason: currentError())) }
        if info.st_mode & S_IFMT == S_IFDIR { return .failure(ReadError(reason: "is a directory")) }
        // One byte more than the size, so a file read whole shows as a short read.
        let wanted = max(Int(info.st_size), 0) + 1
        if buffer.count < wanted { buffer = [UInt8](repeating: 0, count: max(wanted, 2 * buffer.count)) }
        var used = 0
        while true {
            if used == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let got = buffer.withUnsafeMutableBytes { raw in
                systemRead(descriptor, raw.baseAddress.map { $0 + used }, raw.count - used)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(reason: currentError()))
            }
            used += got
            // A regular file returns less than asked only at its end.
            if got == 0 || (info.st_mode & S_IFMT == S_IFREG && used < buffer.count) { break }
        }
        return .success(used)
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    struct ReadError: Error, Equatable {
        var reason: String
    }

    private static func currentError() -> String {
        String(cString: strerror(errno))
    }
}
