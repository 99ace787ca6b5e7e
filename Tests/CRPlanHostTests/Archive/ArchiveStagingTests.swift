import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import Testing

/// import/export stage in a folder of their own made by one exclusive
/// mkdir: a path crplan did not make is never removed, and a parent folder
/// any user can change is refused.
@Suite("archive staging folders", .enabled(if: Zstd.enabled, Zstd.skipReason))
struct ArchiveStagingTests {
    @Test("a leftover staging path from an earlier pid is left alone")
    func aLeftoverStagingPathIsNotRemoved() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let imageDir = try ArchiveRoundTripTests.makeImageDirectory(in: temp)
        let archive = temp.appending("c.crplan.tar.zst")
        _ = try await ArchiveRoundTripTests.export(imageDir, to: archive)
        for leftover in [temp.appending(".imported.import-\(getpid())"), temp.appending(".other.crplan.tar.zst.export-\(getpid())")] {
            try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: false)
            _ = FileManager.default.createFile(atPath: leftover + "/keep", contents: Data("x".utf8))
        }
        _ = try await ArchiveReader().unpack(archive, into: temp.appending("imported"))
        _ = try await ArchiveRoundTripTests.export(imageDir, to: temp.appending("other.crplan.tar.zst"))
        #expect(FileManager.default.fileExists(atPath: temp.appending(".imported.import-\(getpid())/keep")))
        #expect(FileManager.default.fileExists(atPath: temp.appending(".other.crplan.tar.zst.export-\(getpid())/keep")))
    }

    @Test("a world-writable parent folder without the sticky bit is refused")
    func aWorldWritableParentIsRefused() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let imageDir = try ArchiveRoundTripTests.makeImageDirectory(in: temp)
        let archive = temp.appending("c.crplan.tar.zst")
        _ = try await ArchiveRoundTripTests.export(imageDir, to: archive)
        let open = temp.appending("open")
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
        #expect(chmod(open, 0o777) == 0)
        await #expect(throws: ArchiveError.self) { _ = try await ArchiveReader().unpack(archive, into: open + "/imported") }
        await #expect(throws: ArchiveError.self) { _ = try await ArchiveRoundTripTests.export(imageDir, to: open + "/c.tar.zst") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: open).isEmpty)
    }

    @Test("a plain tar is copied into the staging folder once: tar lists and extracts the copy, never the caller's path")
    func aPlainTarIsReadOnce() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let imageDir = try ArchiveRoundTripTests.makeImageDirectory(in: temp)
        let archive = temp.appending("c.crplan.tar")
        _ = try await ArchiveRoundTripTests.export(imageDir, to: archive, compression: .none)
        let host = FreeSpaceHost()
        _ = try await ArchiveReader(host: host).unpack(archive, into: temp.appending("imported"))
        let tars = host.log.argvs.filter { $0.first == "tar" }
        #expect(tars.count == 2, "\(tars)")
        for argv in tars {
            #expect(!argv.contains("--file=" + archive), "\(argv)")
            #expect(argv.contains { $0.hasPrefix("--file=" + temp.path + "/.imported.import-") && $0.hasSuffix("/archive.tar") }, "\(argv)")
        }
        let tight = ArchiveReader(host: FreeSpaceHost(available: ArchiveLimits.standard.stagingReserve + 1000))
        do {
            _ = try await tight.unpack(archive, into: temp.appending("again"))
            Issue.record("accepted without room for its copy")
        } catch {
            #expect("\(error)".contains("needs twice that"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: temp.appending("again")))
    }

    @Test("a symbolic link anywhere above DIR (even root's) is refused, naming it; so are `..` components")
    func aLinkAboveTheDestinationIsRefused() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let imageDir = try ArchiveRoundTripTests.makeImageDirectory(in: temp)
        let archive = temp.appending("c.crplan.tar.zst")
        _ = try await ArchiveRoundTripTests.export(imageDir, to: archive)
        try FileManager.default.createDirectory(atPath: temp.appending("real/sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: temp.appending("plink"), withDestinationPath: temp.appending("real"))
        for destination in [temp.appending("plink/sub/y"), temp.appending("real/sub/../sub/y")] {
            do {
                _ = try await ArchiveReader().unpack(archive, into: destination)
                Issue.record("\(destination) accepted")
            } catch {
                let named = destination.contains("plink") ? temp.appending("plink") + ": it is a symbolic link" : "not a plain path"
                #expect(error.description.contains(named), "\(error)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.appending("real/sub")).isEmpty)
        _ = try await ArchiveReader().unpack(archive, into: temp.appending("real/sub/y"))
    }

    @Test("export refuses a file whose name is not UTF-8, naming it escaped, instead of leaving it out")
    func aNonUTF8NameIsRefused() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let imageDir = try ArchiveRoundTripTests.makeImageDirectory(in: temp)
        let name: [UInt8] = Array((imageDir + "/pages-").utf8) + [0xff, 0x41] + Array(".img".utf8) + [0]
        let fd = name.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY | O_EXCL, 0o600) }
        }
        #expect(fd >= 0)
        close(fd)
        #expect(throws: ArchiveError.readFailed(
            "\(imageDir) holds \"pages-\\xffA.img\", a name that is not UTF-8; archives hold UTF-8 names only: rename or remove it")
        ) {
            _ = try ImageDirectoryArchive.inputFiles(imageDirectory: imageDir)
        }
        #expect(PathBytes.escaped([0x61, 0x5c, 0x0a, 0xc3]) == #"a\\\x0a\xc3"#)
    }
}
