import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import Testing

/// `ArchiveWriter` + `ArchiveReader` on a small synthetic image dir, with
/// real zstd and GNU tar for the hostile archives.
@Suite("portable archive round trip", .enabled(if: Zstd.enabled, Zstd.skipReason))
struct ArchiveRoundTripTests {
    /// An image dir as crplan leaves it after a dump (contents synthetic).
    static func makeImageDirectory(in temp: TemporaryDirectory) throws -> String {
        let dir = temp.appending("images")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let facts = """
            {"id":"0123456789abcdef","name":"counter","pid":42,"running":true,"status":"running","driver":"overlay2",
            "graphDriverData":{},"hostnamePath":"/h","hostsPath":"/hs","resolvConfPath":"/r","rootfs":"/m",
            "cgroupMounts":[],"aufsBranches":[],"dockerHome":"/var/lib/docker"}
            """
        let files: [String: Data] = [
            "inventory.img": Data([1, 2, 3, 4]), "stats-dump": Data([5, 6]), "dump.log": Data("Dumping finished successfully\n".utf8),
            "pages-1.img": Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }), "crplan-facts.json": Data(facts.utf8),
        ]
        for (name, data) in files { _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: data) }
        return dir
    }

    static func export(_ imageDir: String, to archive: String, compression: ArchiveCompression = .zstd) async throws -> ArchiveManifest {
        try await ArchiveWriter().write(
            files: try ImageDirectoryArchive.inputFiles(imageDirectory: imageDir), crplanVersion: "test",
            createdAt: ImageDirectoryArchive.timestamp(), source: ImageDirectoryArchive.source(imageDirectory: imageDir, criuVersion: "4.1.1"),
            to: archive, compression: compression)
    }

    static func run(_ argv: [String]) async throws {
        let result = try await CommandRunner().run(HostCommand(argv: argv, timeout: .seconds(60)))
        #expect(result.succeeded, "\(argv): \(result.standardError.text)")
    }

    @Test("export then import gives back every file, for zstd and plain tar", arguments: ArchiveCompression.allCases)
    func roundTrip(compression: ArchiveCompression) async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let imageDir = try Self.makeImageDirectory(in: temp)
        let archive = temp.appending("counter.crplan.tar" + (compression == .zstd ? ".zst" : ""))
        let manifest = try await Self.export(imageDir, to: archive, compression: compression)
        #expect(manifest.source.containerName == "counter" && manifest.source.storageDriver == "overlay2")
        #expect(manifest.source.kernel != nil && manifest.source.criuVersion == "4.1.1")
        #expect(manifest.files.map(\.path) == [
            "checkpoint/crplan-facts.json", "checkpoint/dump.log", "checkpoint/inventory.img", "checkpoint/pages-1.img",
            "checkpoint/stats-dump", "container/facts.json",
        ])
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: archive)).read(upToCount: 4).map(Array.init) ?? []
        #expect((head == [0x28, 0xb5, 0x2f, 0xfd]) == (compression == .zstd))

        let destination = temp.appending("imported")
        let read = try await ArchiveReader().unpack(archive, into: destination)
        #expect(read == manifest)
        // the archive's modes and crplan's umask do not matter: images hold the workload's memory
        for (path, mode) in [(destination, 0o700), (destination + "/checkpoint", 0o700), (destination + "/checkpoint/pages-1.img", 0o600)] {
            var info = stat()
            #expect(lstat(path, &info) == 0 && Int(info.st_mode) & 0o7777 == mode, "\(path): \(String(Int(info.st_mode) & 0o7777, radix: 8))")
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: imageDir) {
            #expect(FileManager.default.contents(atPath: destination + "/checkpoint/" + name) == FileManager.default.contents(atPath: imageDir + "/" + name))
        }
        #expect(FileManager.default.contents(atPath: destination + "/container/facts.json")
            == FileManager.default.contents(atPath: imageDir + "/crplan-facts.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path).sorted() == ["counter.crplan.tar" + (compression == .zstd ? ".zst" : ""), "images", "imported"])
        await #expect(throws: ArchiveError.self) { try await ArchiveReader().unpack(archive, into: destination) }
        await #expect(throws: ArchiveError.self) { try await Self.export(imageDir, to: archive) }
    }

    /// Unpacks `archive` expecting a refusal; checks nothing was left behind.
    static func expectRefused(_ archive: String, in temp: TemporaryDirectory, _ check: (ArchiveError) -> Bool) async {
        let destination = temp.appending("out")
        do {
            try await ArchiveReader().unpack(archive, into: destination)
            Issue.record("\(archive) was accepted")
        } catch {
            #expect(check(error), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: destination))
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: temp.path))?.filter { $0.hasPrefix(".out") } ?? []
        #expect(leftovers.isEmpty)
    }

    @Test("a tampered member is refused by name, compressed or not")
    func tamperedMember() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let imageDir = try Self.makeImageDirectory(in: temp)
        let plain = temp.appending("a.tar")
        try await Self.export(imageDir, to: plain, compression: .none)
        // flip one byte inside checkpoint/pages-1.img's data (find its known content)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: plain)))
        let marker = Array((0..<64).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        guard let start = (0..<(bytes.count - 64)).first(where: { bytes[$0] == marker[0] && Array(bytes[$0..<($0 + 64)]) == marker }) else {
            Issue.record("pages-1.img data not found"); return
        }
        bytes[start + 1000] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: plain))
        await Self.expectRefused(plain, in: temp) { error in
            if case .checksumMismatch("checkpoint/pages-1.img", _, _) = error { return true }
            return false
        }
        try await Self.run(["zstd", "-q", plain, "-o", plain + ".zst"])
        await Self.expectRefused(plain + ".zst", in: temp) { $0.description.contains("checkpoint/pages-1.img") }
    }

    @Test("a truncated or corrupt compressed archive is refused")
    func truncatedArchive() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let archive = temp.appending("a.tar.zst")
        try await Self.export(try Self.makeImageDirectory(in: temp), to: archive)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: archive))
        await Self.expectRefused(archive, in: temp) { $0.description.contains("zstd") }
        var garbled = Array(bytes)
        garbled[garbled.count / 2] ^= 0xff
        try Data(garbled).write(to: URL(fileURLWithPath: archive))
        await Self.expectRefused(archive, in: temp) { _ in true }
    }

    @Test("members escaping the destination, links and unlisted members are refused before anything is written")
    func hostileMembers() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let tree = temp.appending("tree")
        try FileManager.default.createDirectory(atPath: tree + "/checkpoint", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: tree + "/checkpoint/a.img", contents: Data([1]))
        _ = FileManager.default.createFile(atPath: temp.appending("evil"), contents: Data("evil".utf8))
        try FileManager.default.createSymbolicLink(atPath: tree + "/checkpoint/link", withDestinationPath: "/etc/passwd")
        let manifest = ArchiveManifest(
            crplanVersion: "t", createdAt: "t", source: ArchiveSource(engine: "docker"),
            files: [ArchiveFileRecord(path: "checkpoint/a.img", size: 1, sha256: ArchiveDigest.hex([1] as [UInt8]))])
        _ = FileManager.default.createFile(atPath: tree + "/manifest.json", contents: Data(try manifest.encoded()))

        // GNU tar keeps ../ when told to; our reader must refuse it
        let escaping = temp.appending("escaping.tar")
        try await Self.run(["tar", "-C", tree, "-cf", escaping, "manifest.json", "checkpoint/a.img", "--absolute-names", "../evil"])
        await Self.expectRefused(escaping, in: temp) { $0.description.contains("../evil") }
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/../evil-copy"))

        let absolute = temp.appending("absolute.tar")
        try await Self.run(["tar", "-C", tree, "-cf", absolute, "manifest.json", "checkpoint/a.img", "--absolute-names", temp.appending("evil")])
        await Self.expectRefused(absolute, in: temp) { $0.description.contains("absolute") }

        let link = temp.appending("link.tar")
        try await Self.run(["tar", "-C", tree, "-cf", link, "manifest.json", "checkpoint/a.img", "checkpoint/link"])
        await Self.expectRefused(link, in: temp) { $0 == .forbiddenMemberType("checkpoint/link", type: "symbolic link") }

        let unlisted = temp.appending("unlisted.tar")
        _ = FileManager.default.createFile(atPath: tree + "/checkpoint/b.img", contents: Data([2]))
        try await Self.run(["tar", "-C", tree, "-cf", unlisted, "manifest.json", "checkpoint/a.img", "checkpoint/b.img"])
        await Self.expectRefused(unlisted, in: temp) { $0 == .unlistedMember("checkpoint/b.img") }

        let outside = temp.appending("outside.tar")
        try await Self.run(["tar", "-C", tree, "-cf", outside, "manifest.json", "checkpoint/a.img", "--transform", "s,^checkpoint/b.img,etc/b.img,", "checkpoint/b.img"])
        await Self.expectRefused(outside, in: temp) { $0.description.contains("etc/b.img") }

        let intact = temp.appending("intact.tar")
        try await Self.run(["tar", "-C", tree, "-cf", intact, "manifest.json", "checkpoint/a.img"])
        try await ArchiveReader().unpack(intact, into: temp.appending("ok"))
        #expect(FileManager.default.contents(atPath: temp.appending("ok/checkpoint/a.img")) == Data([1]))
    }

    @Test("an extracted folder is verified from disk: a planted link or extra file is refused")
    func stagingVerification() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let archive = temp.appending("a.tar.zst")
        let manifest = try await Self.export(try Self.makeImageDirectory(in: temp), to: archive)
        let dir = temp.appending("x")
        try await ArchiveReader().unpack(archive, into: dir)
        try StagingDirectoryLister.verify(dir, against: manifest)
        try FileManager.default.createSymbolicLink(atPath: dir + "/checkpoint/link", withDestinationPath: "/etc")
        #expect(throws: ArchiveError.forbiddenMemberType("checkpoint/link", type: "symbolic link")) {
            try StagingDirectoryLister.verify(dir, against: manifest)
        }
        unlink(dir + "/checkpoint/link")
        _ = FileManager.default.createFile(atPath: dir + "/checkpoint/extra", contents: Data())
        #expect(throws: ArchiveError.unlistedMember("checkpoint/extra")) { try StagingDirectoryLister.verify(dir, against: manifest) }
    }
}

@Suite("portable archive limits", .enabled(if: Zstd.enabled, Zstd.skipReason))
struct ArchiveLimitTests {
    @Test("a zstd archive that decompresses beyond the limits is refused without writing it all")
    func decompressionBomb() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let bomb = try await ArchiveBombTests.bomb(in: temp, megabytes: 8)
        let limits = ArchiveLimits(maximumFiles: 10, maximumTotalSize: 1 << 20, maximumManifestSize: 1 << 10)
        do {
            try await ArchiveReader(limits: limits).unpack(bomb, into: temp.appending("out"))
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("decompresses to more than"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: temp.appending("out")))
    }
}
