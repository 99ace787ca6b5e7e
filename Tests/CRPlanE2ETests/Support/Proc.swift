import Foundation
import Glibc

/// Reads the host's `/proc` the way the tests need it: liveness (zombies
/// count as dead), parent pid, command line, cgroup, mount points.
enum Proc {
    /// The whole file, read until `read(2)` says end of file. Not
    /// `FileManager.contents(atPath:)`: for files that report size 0, as
    /// those under /proc do, it stops after the first short read, so a
    /// mountinfo longer than a few KiB came back cut (and a mount at its end
    /// was "missing": the second fault-matrix run failed on it).
    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return count == 0 ? String(decoding: bytes, as: UTF8.self) : nil }
            bytes += buffer[0..<count]
        }
    }

    /// The `State:` letter and `PPid:` of `/proc/<pid>/status`.
    static func status(_ pid: Int32) -> (state: String, parent: Int32)? {
        guard let text = read("/proc/\(pid)/status") else { return nil }
        var state: String?
        var parent: Int32?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("State:") {
                state = line.dropFirst("State:".count).trimmingCharacters(in: .whitespaces).prefix(1).description
            } else if line.hasPrefix("PPid:") {
                parent = Int32(line.dropFirst("PPid:".count).trimmingCharacters(in: .whitespaces))
            }
        }
        guard let state, let parent else { return nil }
        return (state, parent)
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, let status = status(pid) else { return false }
        return status.state != "Z" && status.state != "X"
    }

    static func parent(_ pid: Int32) -> Int32? { status(pid)?.parent }

    /// The start time (field 22 of `/proc/<pid>/stat`, clock ticks after
    /// boot): with the pid, it names one process even after pids wrap
    /// (32768 here; a busy test run reuses a pid within seconds).
    static func startTime(_ pid: Int32) -> UInt64? {
        guard let text = read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// True while the process `pid` that started at `start` is alive (a reused pid is another process).
    static func isAlive(_ pid: Int32, startedAt start: UInt64) -> Bool {
        isAlive(pid) && startTime(pid) == start
    }

    /// The process group (field 5 of `/proc/<pid>/stat`, counted after the
    /// parenthesized name, which may contain spaces).
    static func processGroup(_ pid: Int32) -> Int32? {
        guard let text = read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 2 ? Int32(fields[2]) : nil
    }

    static func commandLine(_ pid: Int32) -> [String]? {
        guard let text = read("/proc/\(pid)/cmdline"), !text.isEmpty else { return nil }
        var parts = text.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// Every numeric entry of `/proc`.
    static func allPIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
    }

    /// True when `/proc/<pid>/cgroup` puts the process under `/docker/<id>`
    /// in some hierarchy (Docker 20.10 with cgroupfs on cgroup v1).
    static func isInContainerCgroup(_ pid: Int32, containerID: String) -> Bool {
        guard let text = read("/proc/\(pid)/cgroup") else { return false }
        return text.split(separator: "\n").contains { $0.hasSuffix(":/docker/\(containerID)") }
    }

    /// Mount points of `/proc/self/mountinfo` (field 5, octal escapes decoded).
    static func mountPoints() -> [String] {
        guard let text = read("/proc/self/mountinfo") else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 ? unescape(String(fields[4])) : nil
        }
    }

    static func isMountPoint(_ path: String) -> Bool {
        mountPoints().contains(path)
    }

    /// How many times `path` is mounted (stacked mounts count each).
    static func mountCount(_ path: String) -> Int {
        mountPoints().filter { $0 == path }.count
    }

    private static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
                let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
