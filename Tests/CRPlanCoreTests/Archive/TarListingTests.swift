import Testing
@testable import CRPlanCore

/// GNU tar's verbose listing, checked before anything is extracted.
@Suite struct TarListingTests {
    static func listing(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\n").utf8) + [0x0a] }

    static let manifestLine = "-rw-r--r-- 0/0             120 2026-11-30 12:00:00 \"manifest.json\""

    @Test func acceptsFilesAndFoldersOfTheLayout() throws {
        let entries = try TarListing.check(Self.listing([
            Self.manifestLine,
            "drwx------ 0/0               0 2026-11-30 12:00:00 \"checkpoint/\"",
            "-rw------- 0/0            4096 2026-11-30 12:00:00 \"checkpoint/pages-1.img\"",
            "-rw------- 0/0               2 2026-11-30 12:00:00 \"container/facts.json\"",
        ]))
        #expect(entries.map(\.name) == ["manifest.json", "checkpoint", "checkpoint/pages-1.img", "container/facts.json"])
        #expect(entries.map(\.size) == [120, 0, 4096, 2])
    }

    @Test func keepsSpacesInsideANameAndRefusesEscapes() throws {
        #expect(try TarListing.parse("-rw------- 0/0 1 2026-11-30 12:00:00 \" a b\"").name == " a b")
        // a whole-second time is padded to the width of a fractional one
        #expect(try TarListing.parse("-rw------- 0/0 3 2026-11-30 12:00:00           \"checkpoint/a\"").name == "checkpoint/a")
        #expect(try TarListing.parse("-rw------- 0/0 3 2026-11-30 12:00:00.5 \"checkpoint/a\\\" b\"").name == "checkpoint/a\\\" b")
        #expect(throws: ArchiveError.self) {
            try TarListing.check(Self.listing([Self.manifestLine, "-rw------- 0/0 1 2026-11-30 12:00:00 \"checkpoint/a\\nb\""]))
        }
    }

    @Test("links, devices and fifos are refused by name and kind", arguments: [
        ("lrwxrwxrwx 0/0 0 2026-11-30 12:00:00 \"checkpoint/link\" -> \"/etc\"", "checkpoint/link", "symbolic link"),
        ("hrw-r--r-- 0/0 0 2026-11-30 12:00:00 \"checkpoint/hard\" link to \"etc/passwd\"", "checkpoint/hard", "hard link"),
        ("crw-r--r-- 0/0 1,3 2026-11-30 12:00:00 \"checkpoint/null\"", "checkpoint/null", "character device"),
        ("brw-r--r-- 0/0 8,0 2026-11-30 12:00:00 \"checkpoint/sda\"", "checkpoint/sda", "block device"),
        ("prw-r--r-- 0/0 0 2026-11-30 12:00:00 \"checkpoint/fifo\"", "checkpoint/fifo", "fifo"),
    ])
    func refusesSpecialMembers(line: String, name: String, type: String) throws {
        #expect(throws: ArchiveError.forbiddenMemberType(name, type: type)) {
            try TarListing.check(Self.listing([Self.manifestLine, line]))
        }
    }

    @Test func refusesEscapingAbsoluteUnlistedAndDuplicateNames() throws {
        func refused(_ line: String) -> ArchiveError? {
            do {
                _ = try TarListing.check(Self.listing([Self.manifestLine, line]))
                return nil
            } catch {
                return error
            }
        }
        #expect(refused("-rw-r--r-- 0/0 1 2026-11-30 12:00:00 \"../x\"")?.description.contains("\"../x\"") == true)
        #expect(refused("-rw-r--r-- 0/0 1 2026-11-30 12:00:00 \"checkpoint/../../x\"")?.description.contains("'..'") == true)
        #expect(refused("-rw-r--r-- 0/0 1 2026-11-30 12:00:00 \"/abs\"")?.description.contains("absolute") == true)
        #expect(refused("-rw-r--r-- 0/0 1 2026-11-30 12:00:00 \"etc/passwd\"")?.description.contains("etc/passwd") == true)
        #expect(refused("drwxr-xr-x 0/0 0 2026-11-30 12:00:00 \"etc/\"") == .unlistedMember("etc/"))
        #expect(refused(Self.manifestLine) == .duplicateMember("manifest.json"))
    }

    @Test func boundsSizesCountsAndTheManifest() throws {
        let limits = ArchiveLimits(maximumFiles: 2, maximumFileSize: 100, maximumTotalSize: 150, maximumManifestSize: 50)
        #expect(throws: ArchiveError.invalidManifest("it is 120 bytes, more than 50")) {
            try TarListing.check(Self.listing([Self.manifestLine]), limits: limits)
        }
        let small = "-rw-r--r-- 0/0 10 2026-11-30 12:00:00 \"manifest.json\""
        #expect(throws: ArchiveError.self) {
            try TarListing.check(Self.listing([small, "-rw-r--r-- 0/0 101 2026-11-30 12:00:00 \"checkpoint/a\""]), limits: limits)
        }
        #expect(throws: ArchiveError.self) {
            try TarListing.check(Self.listing([
                small, "-rw-r--r-- 0/0 100 2026-11-30 12:00:00 \"checkpoint/a\"", "-rw-r--r-- 0/0 100 2026-11-30 12:00:00 \"checkpoint/b\"",
            ]), limits: limits)
        }
        let many = (0..<20).map { "-rw-r--r-- 0/0 0 2026-11-30 12:00:00 \"checkpoint/f\($0)\"" }
        #expect(throws: ArchiveError.self) { try TarListing.check(Self.listing([small] + many), limits: limits) }
    }

    @Test func refusesALineItCannotRead() {
        #expect(throws: ArchiveError.self) { try TarListing.parse("tar: something odd") }
    }
}
