import CRPlanHost
import Foundation
import Testing

@Suite("FileLock")
struct FileLockTests {
    @Test("a second acquire fails at once naming the holder pid; release frees it")
    func contentionInOneProcess() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("plan.lock")
        let first = try FileLock.acquire(path, pid: 4242)
        #expect(first.isHeld)
        #expect(FileLock.recordedHolder(path) == 4242)
        let error = #expect(throws: FileLockError.self) { try FileLock.acquire(path) }
        #expect(error == .held(path: path, holderPid: 4242))
        #expect(error?.description.contains("locked by process 4242") == true)
        first.release()
        #expect(!first.isHeld)
        first.release()
        let second = try FileLock.acquire(path)
        #expect(FileLock.recordedHolder(path) == getpid())
        second.release()
    }

    @Test("the lock is released when its holder object goes away")
    func releasedOnDeinit() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("c.lock")
        do {
            _ = try FileLock.acquire(path)
        }
        let again = try FileLock.acquire(path)
        again.release()
    }

    @Test("a lock file that is a symbolic link is refused")
    func refusesSymlink() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let target = temp.appending("target")
        let link = temp.appending("link.lock")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(throws: FileLockError.file(.symbolicLink(path: link))) { try FileLock.acquire(link) }
    }

    @Test(
        "a lock held by another process blocks until that process dies",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock"), "needs util-linux flock"))
    func diesWithHolder() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("plan.lock")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // --no-fork: flock execs sleep, so the pid we kill is the only holder.
        holder.arguments = ["--exclusive", "--no-fork", path, "sleep", "60"]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        // Wait until the child holds the lock.
        var held = false
        for _ in 0..<200 {
            do {
                let probe = try FileLock.acquire(path)
                probe.release()
                try await Task.sleep(for: .milliseconds(10))
            } catch let error as FileLockError {
                guard case .held = error else { throw error }
                held = true
                break
            }
        }
        #expect(held)
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        var acquired: FileLock?
        for _ in 0..<200 {
            if let lock = try? FileLock.acquire(path) { acquired = lock; break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(acquired != nil)
        acquired?.release()
    }
}
