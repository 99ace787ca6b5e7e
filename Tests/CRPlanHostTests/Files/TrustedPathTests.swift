import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import SystemPackage
import Testing

/// crplan's own files (state dir, journal, lock, pidfile, facts file, image
/// dir, logs) are never written where someone other than root could
/// redirect them, and nothing is created before that is checked.
/// Needs root: it makes links and directories owned by another user.
@Suite("TrustedPath: symbolic links and writable parents", .enabled(if: getuid() == 0, "needs root (chown)"))
struct TrustedPathTests {
    static let otherUser: uid_t = 4711

    /// A fresh 0700 root-owned directory in /tmp (sticky, world writable: allowed as an ancestor).
    func withTemp(_ body: (TemporaryDirectory) throws -> Void) throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try body(temp)
    }

    func mkdir(_ path: String, mode: mode_t = 0o700, owner: uid_t = 0) throws {
        try #require(Glibc.mkdir(path, mode) == 0)
        try #require(chmod(path, mode) == 0)
        try #require(chown(path, owner, 0) == 0)
    }

    func symlink(_ path: String, to target: String, owner: uid_t = 0) throws {
        try #require(Glibc.symlink(target, path) == 0)
        try #require(lchown(path, owner, 0) == 0)
    }

    func untrusted(_ body: () throws(FileError) -> Void) -> String? {
        do {
            try body()
        } catch {
            if case .untrusted(let path, _) = error { return path }
            Issue.record("expected .untrusted, got \(error)")
            return nil
        }
        Issue.record("expected .untrusted, nothing was thrown")
        return nil
    }

    @Test("state dir: a parent that is another user's symbolic link is refused before anything is created in its target")
    func stateDirUnderForeignLink() throws {
        try withTemp { temp in
            try mkdir(temp.appending("target"))
            try symlink(temp.appending("var-lib"), to: temp.appending("target"), owner: Self.otherUser)
            let stateDir = temp.appending("var-lib/crplan")
            let refused = untrusted { () throws(FileError) in try DurableFiles.createDirectory(stateDir + "/runs") }
            #expect(refused == temp.appending("var-lib"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: temp.appending("target")).isEmpty)
        }
    }

    @Test("state dir: a root-owned symbolic link (a /var/lib on another disk) is followed")
    func stateDirUnderRootLink() throws {
        try withTemp { temp in
            try mkdir(temp.appending("disk"))
            try symlink(temp.appending("var-lib"), to: "disk")
            try DurableFiles.createDirectory(temp.appending("var-lib/crplan/runs"))
            #expect(try DurableFiles.status(temp.appending("disk/crplan/runs"))?.kind == .directory)
            // ... but not when the link's target is writable by others.
            try #require(chmod(temp.appending("disk"), 0o777) == 0)
            let refused = untrusted { () throws(FileError) in try DurableFiles.createDirectory(temp.appending("var-lib/other")) }
            #expect(refused == temp.appending("disk"))
        }
    }

    @Test("state dir: a directory owned by another user on the way is refused")
    func foreignDirectory() throws {
        try withTemp { temp in
            try mkdir(temp.appending("theirs"), mode: 0o755, owner: Self.otherUser)
            #expect(untrusted { () throws(FileError) in try DurableFiles.createDirectory(temp.appending("theirs/state")) }
                == temp.appending("theirs"))
            #expect(try DurableFiles.status(temp.appending("theirs/state")) == nil)
        }
    }

    @Test("journal: a group-writable folder or a swapped folder link is refused; a link as the journal too")
    func journal() throws {
        try withTemp { temp in
            try mkdir(temp.appending("run"), mode: 0o770)
            let journal = temp.appending("run/journal.jsonl")
            #expect(untrusted { () throws(FileError) in try DurableFiles.append(bytes("{}\n"), to: journal) } == temp.appending("run"))
            #expect(try DurableFiles.status(journal) == nil)

            try mkdir(temp.appending("elsewhere"))
            try symlink(temp.appending("swapped"), to: temp.appending("elsewhere"), owner: Self.otherUser)
            #expect(untrusted { () throws(FileError) in
                try DurableFiles.append(bytes("{}\n"), to: temp.appending("swapped/journal.jsonl"))
            } == temp.appending("swapped"))
            #expect(try DurableFiles.status(temp.appending("elsewhere/journal.jsonl")) == nil)

            try mkdir(temp.appending("ok"))
            try symlink(temp.appending("ok/journal.jsonl"), to: temp.appending("elsewhere/j"))
            #expect(throws: FileError.symbolicLink(path: temp.appending("ok/journal.jsonl"))) {
                try DurableFiles.append(bytes("{}\n"), to: temp.appending("ok/journal.jsonl"))
            }
        }
    }

    @Test("lock: a world-writable folder (even sticky) or a foreign folder link is refused")
    func lock() throws {
        try withTemp { temp in
            try mkdir(temp.appending("locks"), mode: 0o1777)
            #expect(throws: FileLockError.self) { try FileLock.acquire(temp.appending("locks/plan.lock")) }
            #expect(try DurableFiles.status(temp.appending("locks/plan.lock")) == nil)

            try mkdir(temp.appending("real"))
            try symlink(temp.appending("link"), to: temp.appending("real"), owner: Self.otherUser)
            do throws(FileLockError) {
                _ = try FileLock.acquire(temp.appending("link/plan.lock"))
                Issue.record("a lock under a foreign link was taken")
            } catch {
                guard case .file(.untrusted(let path, _)) = error else {
                    Issue.record("expected .file(.untrusted), got \(error)")
                    return
                }
                #expect(path == temp.appending("link"))
            }
            #expect(try DurableFiles.status(temp.appending("real/plan.lock")) == nil)
        }
    }

    @Test("pidfile and facts file: atomic writes refuse a writable or foreign-linked folder")
    func atomicWrites() throws {
        try withTemp { temp in
            try mkdir(temp.appending("run-dir"), mode: 0o1777)
            #expect(untrusted { () throws(FileError) in
                try DurableFiles.writeAtomically("42\n", to: temp.appending("run-dir/counter.pid"))
            } == temp.appending("run-dir"))
            try mkdir(temp.appending("images"))
            try symlink(temp.appending("image-link"), to: temp.appending("images"), owner: Self.otherUser)
            #expect(untrusted { () throws(FileError) in
                try DurableFiles.writeAtomically("{}", to: temp.appending("image-link/crplan-facts.json"))
            } == temp.appending("image-link"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: temp.appending("images")).isEmpty)
            // A trusted folder still works.
            try DurableFiles.writeAtomically("42\n", to: temp.appending("images/counter.pid"))
        }
    }

    @Test("image dir: an existing group-writable image dir, or one reached through a foreign link, is refused")
    func imageDirectory() throws {
        try withTemp { temp in
            try mkdir(temp.appending("criu_img"), mode: 0o775)
            #expect(untrusted { () throws(FileError) in try DurableFiles.createDirectory(temp.appending("criu_img")) }
                == temp.appending("criu_img"))
            #expect(untrusted { () throws(FileError) in try DurableFiles.createDirectory(temp.appending("criu_img/abc")) }
                == temp.appending("criu_img"))
            try mkdir(temp.appending("store"))
            try symlink(temp.appending("img"), to: temp.appending("store"), owner: Self.otherUser)
            #expect(untrusted { () throws(FileError) in try DurableFiles.createDirectory(temp.appending("img/abc")) }
                == temp.appending("img"))
            // Moving a checkpoint aside into a writable folder is refused too.
            try mkdir(temp.appending("mine"))
            #expect(untrusted { () throws(FileError) in
                try DurableFiles.rename(temp.appending("mine"), to: temp.appending("criu_img/moved"))
            } == temp.appending("criu_img"))
        }
    }

    @Test("logs: a command's log under a writable folder is refused before the command runs")
    func logs() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try mkdir(temp.appending("logs"), mode: 0o777)
        let marker = temp.appending("ran")
        await #expect(throws: CommandError.self) {
            try await CommandRunner().run(HostCommand(
                argv: ["touch", marker], standardOutputLog: temp.appending("logs/step.stdout")))
        }
        #expect(try DurableFiles.status(marker) == nil)
    }

    @Test("SystemHost reports an untrusted path as an I/O error naming it")
    func hostMapping() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try mkdir(temp.appending("shared"), mode: 0o777)
        await #expect(throws: HostError.self) {
            try await SystemHost().makeDirectory(at: temp.appending("shared/state"), mode: 0o700)
        }
        do {
            try await SystemHost().makeDirectory(at: temp.appending("shared/state"), mode: 0o700)
        } catch {
            #expect(error.description.contains(temp.appending("shared")))
            #expect(error.description.contains("writable by everyone"))
        }
    }

    @Test("ssh control folder: an existing one that is not root's, or that its group or everyone may write, is refused before ssh runs")
    func sshControlDirectory() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let host = SystemHost()
        // `RemoteHost` asks its local host for the control folder (0700) before every ssh command.
        for (name, mode, owner) in [("everyone", mode_t(0o777), uid_t(0)), ("group", 0o770, 0), ("sticky", 0o1777, 0), ("foreign", 0o700, Self.otherUser)] {
            let directory = temp.appending("control-" + name)
            try mkdir(directory, mode: mode, owner: owner)
            await #expect(throws: HostError.self, "control folder \(name) (mode \(String(mode, radix: 8)), uid \(owner))") {
                try await host.makeDirectory(at: directory, mode: 0o700)
            }
        }
        // Root's own 0700 (or 0755) folder is used as it is.
        for mode: mode_t in [0o700, 0o755] {
            let directory = temp.appending("control-\(String(mode, radix: 8))")
            try mkdir(directory, mode: mode)
            try await host.makeDirectory(at: directory, mode: 0o700)
        }
    }

    @Test("checkTrustedDirectory (check-target's test of an archive's folder) refuses what the writes refuse, sticky /tmp-like folders too")
    func checkTrustedDirectoryMatchesTheWrites() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let host = SystemHost()
        for (name, mode, owner) in [("everyone", mode_t(0o777), uid_t(0)), ("sticky", 0o1777, 0), ("foreign", 0o700, Self.otherUser)] {
            let directory = temp.appending("archives-" + name)
            try mkdir(directory, mode: mode, owner: owner)
            await #expect(throws: HostError.self, "archive folder \(name)") { try await host.checkTrustedDirectory(at: directory) }
            await #expect(throws: HostError.self, "a write there (\(name))") {
                try await host.writeFileAtomically(at: directory + "/a.tar.zst.partial", contents: [], mode: 0o600)
            }
        }
        let own = temp.appending("archives-root")
        try mkdir(own, mode: 0o700)
        try await host.checkTrustedDirectory(at: own)
    }
}

