import Testing
@testable import CRPlanCore

@Suite struct TarStreamReaderTests {
    @Test func readsFilesFoldersLongNamesAndTheEnd() throws {
        let long = "checkpoint/" + String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 90)
        let veryLong = "checkpoint/" + String(repeating: "x", count: 200) + "/" + String(repeating: "y", count: 150)
        let bytes = TestTar.directory("checkpoint") + TestTar.file("checkpoint/a.img", [1, 2, 3])
            + TestTar.file(long, Array("ustar prefix".utf8)) + TestTar.file(veryLong, Array("pax path".utf8)) + TestTar.end
        var reader = TarStreamReader(source: TarMemorySource(bytes))
        var seen: [(String, TarHeader.Kind, [UInt8])] = []
        while let member = try reader.nextMember() {
            seen.append((member.path, member.kind, member.kind == .file ? try reader.readAll(limit: 100) : []))
        }
        #expect(seen.map(\.0) == ["checkpoint", "checkpoint/a.img", long, veryLong])
        #expect(seen[1].2 == [1, 2, 3])
        #expect(seen[2].2 == Array("ustar prefix".utf8))
        #expect(seen[3].2 == Array("pax path".utf8))
        #expect(try reader.nextMember() == nil)
    }

    @Test func skipsUnreadDataAndAcceptsZeroPaddingAfterTheEnd() throws {
        let bytes = TestTar.file("stats/a", [UInt8](repeating: 7, count: 1000)) + TestTar.file("stats/b", [9])
            + TestTar.end + [UInt8](repeating: 0, count: 8192)
        var reader = TarStreamReader(source: TarMemorySource(bytes))
        #expect(try reader.nextMember()?.path == "stats/a")
        #expect(try reader.nextMember()?.path == "stats/b")
        #expect(try reader.readAll(limit: 10) == [9])
        #expect(try reader.nextMember() == nil)
    }

    static func drain(_ bytes: [UInt8]) throws {
        var reader = TarStreamReader(source: TarMemorySource(bytes), limits: ArchiveLimits(maximumFiles: 10, maximumFileSize: 4096))
        while try reader.nextMember() != nil {}
    }

    @Test(arguments: [
        (UInt8(ascii: "2"), "symbolic link"), (UInt8(ascii: "1"), "hard link"), (UInt8(ascii: "3"), "character device"),
        (UInt8(ascii: "4"), "block device"), (UInt8(ascii: "6"), "fifo"), (UInt8(ascii: "S"), "GNU sparse file"),
    ])
    func refusesLinksDevicesAndOtherTypes(flag: UInt8, name: String) {
        let bytes = TestTar.raw("checkpoint/x", flag: flag, linkName: "/etc/passwd") + TestTar.end
        #expect(throws: ArchiveError.forbiddenMemberType("checkpoint/x", type: name)) { try Self.drain(bytes) }
    }

    @Test(arguments: ["../evil", "/etc/cron.d/evil", "checkpoint/../../evil", "checkpoint//x", "./checkpoint/x", "a\u{1}b"])
    func refusesNamesThatEscapeOrAreNotNormalised(name: String) {
        let bytes = TestTar.file(name, [1]) + TestTar.end
        #expect(throws: ArchiveError.self) { try Self.drain(bytes) }
    }

    @Test func refusesTruncatedStreams() throws {
        let whole = TestTar.file("checkpoint/a", [UInt8](repeating: 1, count: 700)) + TestTar.end
        for cut in [100, 512, 800, 1024 + 512, whole.count - 512] {
            #expect(throws: ArchiveError.self, "cut at \(cut)") { try Self.drain(Array(whole.prefix(cut))) }
        }
        #expect(throws: ArchiveError.truncated(member: "checkpoint/a", offset: 800)) { try Self.drain(Array(whole.prefix(800))) }
        #expect(throws: ArchiveError.truncated(member: nil, offset: 0)) { try Self.drain([]) }
    }

    @Test func refusesBadChecksumsGarbageAndOversizedMembers() {
        var corrupt = TestTar.file("checkpoint/a", [1]) + TestTar.end
        corrupt[3] ^= 0x20
        #expect(throws: ArchiveError.self) { try Self.drain(corrupt) }
        let trailing = TestTar.file("checkpoint/a", [1]) + TestTar.end + [0x41] + [UInt8](repeating: 0, count: 511)
        #expect(throws: ArchiveError.trailingData(offset: 2048)) { try Self.drain(trailing) }
        let big = TestTar.file("checkpoint/a", [UInt8](repeating: 0, count: 5000)) + TestTar.end
        #expect(throws: ArchiveError.self) { try Self.drain(big) }
        let many = (0..<11).flatMap { TestTar.file("checkpoint/\($0)", []) } + TestTar.end
        #expect(throws: ArchiveError.limitExceeded("more than 10 members")) { try Self.drain(many) }
        let notTar = [UInt8](repeating: 0x41, count: 2048)
        #expect(throws: ArchiveError.self) { try Self.drain(notTar) }
    }
}
