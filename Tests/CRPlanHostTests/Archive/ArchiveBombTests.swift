import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import Testing

/// Decompression bombs and sparse members made in the test with real tar
/// and zstd: each is refused having written at most its bound, which the
/// limits (or the free space the host reports) set small here.
@Suite("portable archive: bombs", .enabled(if: Zstd.enabled, Zstd.skipReason))
struct ArchiveBombTests {
    /// `manifest.json` first (as crplan writes it), then `megabytes` of zeros
    /// as checkpoint/pages-1.img; zstd-compressed unless `plain`.
    static func bomb(in temp: TemporaryDirectory, megabytes: Int, manifestFirst: Bool = true, plain: Bool = false) async throws -> String {
        let tree = temp.appending("tree")
        try FileManager.default.createDirectory(atPath: tree + "/checkpoint", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: tree + "/manifest.json", contents: Data("{}".utf8))
        _ = FileManager.default.createFile(atPath: tree + "/checkpoint/pages-1.img", contents: Data(count: megabytes << 20))
        let tar = temp.appending("bomb.tar")
        let members = manifestFirst ? ["manifest.json", "checkpoint/pages-1.img"] : ["checkpoint/pages-1.img", "manifest.json"]
        try await ArchiveRoundTripTests.run(["tar", "-C", tree, "--format=posix", "-cf", tar] + members)
        try FileManager.default.removeItem(atPath: tree)
        if plain { return tar }
        try await ArchiveRoundTripTests.run(["zstd", "-q", "--rm", tar, "-o", tar + ".zst"])
        return tar + ".zst"
    }

    /// Unpacks `archive` expecting a refusal; checks nothing is left beside the destination.
    static func refusal(_ archive: String, in temp: TemporaryDirectory, reader: ArchiveReader) async throws -> String {
        let destination = temp.appending("out")
        do {
            try await reader.unpack(archive, into: destination)
            Issue.record("accepted")
        } catch {
            #expect(!FileManager.default.fileExists(atPath: destination))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: temp.path).filter { !$0.hasPrefix("bomb") }
            #expect(leftovers.isEmpty, "left behind: \(leftovers)")
            return error.description
        }
        return ""
    }

    @Test("a zstd stream that does not start with manifest.json is refused on its first 64 KiB")
    func noManifestFirst() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let zeros = temp.appending("bomb-zeros"), bomb = temp.appending("bomb.zst")
        _ = FileManager.default.createFile(atPath: zeros, contents: Data(count: 64 << 20))
        try await ArchiveRoundTripTests.run(["zstd", "-q", "--rm", zeros, "-o", bomb])
        let refusal = try await Self.refusal(bomb, in: temp, reader: ArchiveReader())
        #expect(refusal.contains("does not start with manifest.json"), "\(refusal)")
        let reordered = try await Self.bomb(in: temp, megabytes: 1, manifestFirst: false)
        let second = try await Self.refusal(reordered, in: temp, reader: ArchiveReader())
        #expect(second.contains("does not start with manifest.json"), "\(second)")
    }

    @Test("a bomb is stopped at its compressed size times the expansion ratio")
    func expansionRatio() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let bomb = try await Self.bomb(in: temp, megabytes: 32)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int)
        let refusal = try await Self.refusal(bomb, in: temp, reader: ArchiveReader(limits: ArchiveLimits(maximumExpansionRatio: 50)))
        #expect(refusal.contains("decompresses to more than \(size * 50) bytes"), "\(refusal)")
        #expect(refusal.contains("more than 50 times its \(size) bytes"), "\(refusal)")
    }

    @Test("a bomb is stopped at half the free space beyond the reserve, and a full disk refuses before writing")
    func freeSpace() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let bomb = try await Self.bomb(in: temp, megabytes: 32)
        let limits = ArchiveLimits(maximumExpansionRatio: 1 << 30, stagingReserve: 1 << 20)
        let nearlyFull = ArchiveReader(host: FreeSpaceHost(available: (1 << 20) + (4 << 20)), limits: limits)
        let refusal = try await Self.refusal(bomb, in: temp, reader: nearlyFull)
        #expect(refusal.contains("decompresses to more than \(2 << 20) bytes"), "\(refusal)")
        #expect(refusal.contains("free space"), "\(refusal)")
        let full = ArchiveReader(host: FreeSpaceHost(available: 1 << 20), limits: limits)
        let none = try await Self.refusal(bomb, in: temp, reader: full)
        #expect(none.contains("has 1048576 bytes free"), "\(none)")
    }

    @Test("a sparse member listed far beyond the tar's size is refused before extraction")
    func sparseMember() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let tree = temp.appending("tree")
        try FileManager.default.createDirectory(atPath: tree + "/checkpoint", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: tree + "/manifest.json", contents: Data("{}".utf8))
        try await ArchiveRoundTripTests.run(["truncate", "-s", "1G", tree + "/checkpoint/pages-1.img"])
        let archive = temp.appending("bomb-sparse.tar")
        try await ArchiveRoundTripTests.run(
            ["tar", "-C", tree, "--sparse", "--format=posix", "-cf", archive, "manifest.json", "checkpoint/pages-1.img"])
        try FileManager.default.removeItem(atPath: tree)
        let refusal = try await Self.refusal(archive, in: temp, reader: ArchiveReader())
        #expect(refusal.contains("checkpoint/pages-1.img") && refusal.contains("sparse"), "\(refusal)")
    }
}
