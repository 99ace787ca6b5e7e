import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import Testing

/// Hostile archives built with python3's tarfile (members GNU tar itself
/// would not write): each is refused by `ArchiveReader` with a message
/// naming the member, and nothing is left beside the destination.
@Suite("portable archive: hostile members", .enabled(if: Zstd.enabled, Zstd.skipReason))
struct ArchiveHostileMemberTests {
    /// A member for `build`: name, tarfile type (`REGTYPE`, `SYMTYPE`, …), data, link target.
    struct Member {
        var name: String
        var type = "REGTYPE"
        var data: [UInt8] = []
        var link = ""
    }

    /// A manifest listing one file, `checkpoint/a.img` = [1].
    static func manifest() throws -> [UInt8] {
        try ArchiveManifest(
            crplanVersion: "t", createdAt: "t", source: ArchiveSource(engine: "docker"),
            files: [ArchiveFileRecord(path: "checkpoint/a.img", size: 1, sha256: ArchiveDigest.hex([1] as [UInt8]))]
        ).encoded()
    }

    /// Writes a tar of `members` (after a valid manifest and checkpoint/a.img unless `bare`) with python3.
    static func build(_ members: [Member], at path: String, bare: Bool = false) async throws {
        var all = members
        if !bare { all = [Member(name: "manifest.json", data: try manifest()), Member(name: "checkpoint/a.img", data: [1])] + members }
        let spec = all.map { ["name": $0.name, "type": $0.type, "data": $0.data.map { String(format: "%02x", $0) }.joined(), "link": $0.link] }
        let json = path + ".json"
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: json))
        defer { unlink(json) }
        let script = """
            import io, json, sys, tarfile
            with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as t:
                for m in json.load(open(sys.argv[2])):
                    i = tarfile.TarInfo(m['name']); i.type = getattr(tarfile, m['type']); i.linkname = m['link']
                    data = bytes.fromhex(m['data'])
                    if i.type in (tarfile.CHRTYPE, tarfile.BLKTYPE): i.devmajor, i.devminor = 1, 3
                    if i.type == tarfile.REGTYPE:
                        i.size = len(data); t.addfile(i, io.BytesIO(data))
                    else:
                        t.addfile(i)
            """
        try await ArchiveRoundTripTests.run(["python3", "-c", script, path, json])
    }

    static func refusal(_ members: [Member], bare: Bool = false, limits: ArchiveLimits = .standard) async throws -> String {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let archive = temp.appending("hostile.tar")
        try await build(members, at: archive, bare: bare)
        let destination = temp.appending("out")
        do {
            try await ArchiveReader(limits: limits).unpack(archive, into: destination)
            Issue.record("\(members.map(\.name)) was accepted")
        } catch {
            #expect(!FileManager.default.fileExists(atPath: destination))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: temp.path).filter { $0 != "hostile.tar" }
            #expect(leftovers.isEmpty, "left behind: \(leftovers)")
            return error.description
        }
        return ""
    }

    @Test func theIntactArchiveIsAccepted() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try await Self.build([], at: temp.appending("ok.tar"))
        try await ArchiveReader().unpack(temp.appending("ok.tar"), into: temp.appending("out"))
        #expect(FileManager.default.contents(atPath: temp.appending("out/checkpoint/a.img")) == Data([1]))
    }

    @Test func setuidAndWideModesInTheArchiveDoNotSurvive() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let archive = temp.appending("modes.tar")
        try await ArchiveRoundTripTests.run([
            "python3", "-c", """
                import io, sys, tarfile
                m = open(sys.argv[2], 'rb').read()
                with tarfile.open(sys.argv[1], 'w') as t:
                    for name, data, mode in (('manifest.json', m, 0o666), ('checkpoint/a.img', b'\\x01', 0o4777)):
                        i = tarfile.TarInfo(name); i.size = len(data); i.mode = mode; t.addfile(i, io.BytesIO(data))
                """, archive, try { let path = temp.appending("m.json"); try Data(try Self.manifest()).write(to: URL(fileURLWithPath: path)); return path }(),
        ])
        try await ArchiveReader().unpack(archive, into: temp.appending("out"))
        var info = stat()
        #expect(lstat(temp.appending("out/checkpoint/a.img"), &info) == 0)
        #expect(Int(info.st_mode) & 0o7777 == 0o600, "\(String(Int(info.st_mode) & 0o7777, radix: 8))")
    }

    @Test func dotDotAndAbsoluteMembersAreRefused() async throws {
        #expect(try await Self.refusal([Member(name: "../x", data: [1])]).contains("\"../x\""))
        #expect(try await Self.refusal([Member(name: "checkpoint/../../x", data: [1])]).contains("'..'"))
        #expect(try await Self.refusal([Member(name: "/abs", data: [1])]).contains("absolute"))
    }

    @Test func linksThatEscapeAreRefused() async throws {
        let symbolic = try await Self.refusal([Member(name: "checkpoint/l", type: "SYMTYPE", link: "/etc"), Member(name: "checkpoint/l/passwd", data: [1])])
        #expect(symbolic.contains("checkpoint/l is a symbolic link"), "\(symbolic)")
        let relative = try await Self.refusal([Member(name: "checkpoint/l", type: "SYMTYPE", link: "../../..")])
        #expect(relative.contains("checkpoint/l is a symbolic link"), "\(relative)")
        let hard = try await Self.refusal([Member(name: "checkpoint/h", type: "LNKTYPE", link: "/etc/passwd")])
        #expect(hard.contains("checkpoint/h is a hard link"), "\(hard)")
    }

    @Test func devicesAndFifosAreRefused() async throws {
        #expect(try await Self.refusal([Member(name: "checkpoint/null", type: "CHRTYPE")]).contains("checkpoint/null is a character device"))
        #expect(try await Self.refusal([Member(name: "checkpoint/disk", type: "BLKTYPE")]).contains("checkpoint/disk is a block device"))
        #expect(try await Self.refusal([Member(name: "checkpoint/pipe", type: "FIFOTYPE")]).contains("checkpoint/pipe is a fifo"))
    }

    @Test func extraMissingAndDuplicateMembersAreRefused() async throws {
        #expect(try await Self.refusal([Member(name: "checkpoint/b.img", data: [2])]).contains("checkpoint/b.img is not listed"))
        let missing = try await Self.refusal([Member(name: "manifest.json", data: try Self.manifest())], bare: true)
        #expect(missing.contains("checkpoint/a.img is listed in the manifest but missing"), "\(missing)")
        #expect(try await Self.refusal([Member(name: "checkpoint/a.img", data: [1])]).contains("checkpoint/a.img appears more than once"))
        #expect(try await Self.refusal([Member(name: "checkpoint/a.img", data: [9])], bare: true).contains("no manifest.json"))
    }

    @Test func aHugeManifestIsRefusedBeforeItIsRead() async throws {
        let huge = [UInt8](repeating: 0x20, count: 2 << 20)
        let refusal = try await Self.refusal(
            [Member(name: "manifest.json", data: huge)], bare: true, limits: ArchiveLimits(maximumManifestSize: 1 << 20))
        #expect(refusal.contains("manifest.json") && refusal.contains("more than 1048576"), "\(refusal)")
    }

    @Test func tooManyMembersAndLongNamesAreRefused() async throws {
        let many = (0..<30).map { Member(name: "checkpoint/f\($0)", data: []) }
        #expect(try await Self.refusal(many, limits: ArchiveLimits(maximumFiles: 10)).contains("more than 28 members"))
        let long = "checkpoint/" + String(repeating: "a/", count: 600) + "x"
        #expect(try await Self.refusal([Member(name: long, data: [1])]).contains("longer than 1024 bytes"))
    }

    @Test func anArchiveLargerThanTheLimitIsRefusedUnread() async throws {
        let refusal = try await Self.refusal([], limits: ArchiveLimits(maximumArchiveSize: 100))
        #expect(refusal.contains("more than 100"), "\(refusal)")
    }
}
