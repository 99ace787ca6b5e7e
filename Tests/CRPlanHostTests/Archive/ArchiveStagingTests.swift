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
}
