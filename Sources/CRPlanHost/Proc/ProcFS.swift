import Glibc
import SystemPackage

/// Facts about a process read from `/proc/<pid>`: whether it is really alive
/// (not a zombie), its parent, its command line, and its start time. The
/// start time (clock ticks after boot, field 22 of `stat`) identifies a
/// process across pid reuse: the same pid with another start time is another
/// process. Named `ProcProcess` to stay clear of Foundation's `ProcessInfo`.
public struct ProcProcess: Sendable, Hashable {
    public var pid: Int32
    /// The kernel's short name (`comm`, at most 15 bytes).
    public var name: String
    /// One-letter state from `stat`: R, S, D, Z (zombie), X (dead), T, t, I, ...
    public var state: Character
    public var parentPid: Int32
    /// Start time in clock ticks since boot (`stat` field 22).
    public var startTime: UInt64
    /// Process group id (`stat` field 5).
    public var processGroup: Int32

    public init(pid: Int32, name: String, state: Character, parentPid: Int32, startTime: UInt64, processGroup: Int32 = 0) {
        self.pid = pid
        self.name = name
        self.state = state
        self.parentPid = parentPid
        self.startTime = startTime
        self.processGroup = processGroup
    }

    /// Zombie (`Z`) or dead (`X`): exited, only waiting to be reaped.
    public var isDefunct: Bool { state == "Z" || state == "X" }

    /// Parses the content of `/proc/<pid>/stat`. The name is in parentheses
    /// and may itself contain spaces and parentheses, so the fields after it
    /// are found from the last `)`.
    public static func parse(stat text: String) throws(ProcError) -> ProcProcess {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
            let pid = Int32(text[..<open].trimmingSpaces)
        else { throw .malformed(file: "stat", content: text) }
        let name = String(text[text.index(after: open)..<close])
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is stat field 3 (state), so stat field n is fields[n - 3].
        guard fields.count >= 20, fields[0].count == 1, let state = fields[0].first,
            let parent = Int32(fields[1]), let group = Int32(fields[2]), let start = UInt64(fields[19].trimmingSpaces)
        else { throw .malformed(file: "stat", content: text) }
        return ProcProcess(pid: pid, name: name, state: state, parentPid: parent, startTime: start, processGroup: group)
    }
}

/// Reads processes from a proc file system (`/proc`, or a fixture tree in tests).
public struct ProcFS: Sendable {
    /// Where procfs is mounted.
    public var root: String

    public init(root: String = "/proc") {
        self.root = root
    }

    /// `/proc/<pid>/stat` parsed, or nil when there is no such process.
    public func process(_ pid: Int32) throws(ProcError) -> ProcProcess? {
        guard pid > 0 else { return nil }
        guard let bytes = try readIfPresent(pid, "stat") else { return nil }
        return try ProcProcess.parse(stat: String(decoding: bytes, as: UTF8.self))
    }

    /// The pids `/proc` lists now (its numeric entries), in any order; empty
    /// if it cannot be read. Bounded: at most `limit` pids.
    public func allPids(limit: Int = 4_194_304) -> [Int32] {
        guard let names = try? DurableFiles.listDirectory(root) else { return [] }
        return Array(names.lazy.compactMap { name -> Int32? in
            guard let pid = Int32(name), pid > 0 else { return nil }
            return pid
        }.prefix(limit))
    }

    /// The live (not defunct) processes of process group `group`, each read
    /// from its `stat`; a process that vanishes meanwhile is left out.
    public func processes(inGroup group: Int32) -> [ProcProcess] {
        guard group > 0 else { return [] }
        return allPids().compactMap { pid -> ProcProcess? in
            guard let process = try? process(pid), process.processGroup == group, !process.isDefunct else { return nil }
            return process
        }
    }

    /// True when `pid` exists and is not a zombie. Uses `kill(pid, 0)` first
    /// (EPERM still means it exists), then the `stat` state.
    public func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if root == "/proc", Glibc.kill(pid, 0) != 0, Glibc.errno != EPERM { return false }
        guard let process = try? process(pid) else { return false }
        return !process.isDefunct
    }

    /// True when `pid` is alive and started at `startTime` (so it is not a reused pid).
    public func isAlive(_ pid: Int32, startedAt startTime: UInt64) -> Bool {
        guard isAlive(pid), let process = try? process(pid) else { return false }
        return process.startTime == startTime
    }

    /// `/proc/<pid>/cmdline` split at NUL bytes, or nil when there is no such
    /// process. Empty for kernel threads, zombies, and for a moment right
    /// after `exec` (before the kernel has set up the new argument pages).
    public func commandLine(_ pid: Int32) throws(ProcError) -> [String]? {
        guard pid > 0 else { return nil }
        guard let bytes = try readIfPresent(pid, "cmdline") else { return nil }
        return Self.splitCommandLine(bytes)
    }

    /// Splits NUL-separated arguments; a trailing NUL does not add an empty argument.
    public static func splitCommandLine(_ bytes: [UInt8]) -> [String] {
        var arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        if bytes.last == 0 { arguments.removeLast() }
        return bytes.isEmpty ? [] : arguments
    }

    /// The parent pid of `pid`, or nil when there is no such process.
    public func parentPid(_ pid: Int32) throws(ProcError) -> Int32? {
        try process(pid)?.parentPid
    }

    /// The start time (clock ticks since boot) of `pid`, or nil when there is no such process.
    public func startTime(_ pid: Int32) throws(ProcError) -> UInt64? {
        try process(pid)?.startTime
    }

    /// The target of `/proc/<pid>/ns/<kind>` (e.g. `cgroup:[4026531835]`), or nil.
    public func namespace(_ pid: Int32?, _ kind: String) -> String? {
        let path = "\(root)/\(pid.map(String.init) ?? "self")/ns/\(kind)"
        var buffer = [CChar](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
            guard let base = pointer.baseAddress else { return -1 }
            return Glibc.readlink(path, base, pointer.count - 1)
        }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func readIfPresent(_ pid: Int32, _ file: String) throws(ProcError) -> [UInt8]? {
        let path = "\(root)/\(pid)/\(file)"
        do {
            return try DurableFiles.readIfPresent(path, limit: 1 << 20)
        } catch {
            // A process that vanishes between open and read, or whose /proc
            // entry we may not read, is reported as such.
            if error.errno == .noSuchProcess { return nil }
            throw .file(error)
        }
    }
}

/// Why `/proc` could not be read or understood.
public enum ProcError: Error, Sendable, Hashable, CustomStringConvertible {
    case file(FileError)
    case malformed(file: String, content: String)

    public var description: String {
        switch self {
        case .file(let error): error.description
        case .malformed(let file, let content): "unexpected /proc/<pid>/\(file) content: \(content.prefix(200))"
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        let text = Substring(self)
        let start = text.firstIndex(where: { !$0.isWhitespace }) ?? text.endIndex
        let end = text.lastIndex(where: { !$0.isWhitespace }).map { text.index(after: $0) } ?? start
        return text[start..<Swift.max(start, end)]
    }
}
