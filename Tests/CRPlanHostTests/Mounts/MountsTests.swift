import CRPlanHost
import Glibc
import Testing

@Suite("Mounts", .tags(.root), .enabled(if: E2E.isRoot, "mounting a tmpfs needs root"))
struct MountsTests {
    @Test("unmount removes a mount; a busy or absent mount is a clear error")
    func unmount() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let point = temp.appending("mnt")
        try DurableFiles.createDirectory(point)
        let mount = try await CommandRunner().run(HostCommand(argv: ["mount", "-t", "tmpfs", "crplan-test", point], timeout: .seconds(10)))
        try #require(mount.succeeded, "mount failed: \(mount.standardError.text)")
        defer { try? Mounts.unmount(point) }
        #expect(try MountTable.read().mount(at: point)?.source == "crplan-test")

        // A process whose working directory is inside keeps the mount busy.
        let holder = try spawnUnreaped(["/bin/sh", "-c", "cd '\(point)' && exec sleep 30"])
        var inside = false
        for _ in 0..<400 where !inside {
            inside = currentDirectory(of: holder) == point
            if !inside { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(inside)
        #expect(throws: UnmountError.busy(path: point)) { try Mounts.unmount(point) }
        kill(holder, SIGKILL)
        reap(holder)
        try Mounts.unmount(point)
        #expect(!(try MountTable.read().isMountPoint(point)))
        #expect(throws: UnmountError.notMounted(path: point)) { try Mounts.unmount(point) }
    }
}

/// Where `/proc/<pid>/cwd` points, if readable.
private func currentDirectory(of pid: pid_t) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
        guard let base = pointer.baseAddress else { return -1 }
        return readlink("/proc/\(pid)/cwd", base, pointer.count - 1)
    }
    guard count > 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
