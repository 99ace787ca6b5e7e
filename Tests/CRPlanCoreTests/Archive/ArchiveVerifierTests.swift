import Testing
@testable import CRPlanCore

@Suite struct ArchiveVerifierTests {
    static let files: [(String, [UInt8])] = [("checkpoint/inventory.img", [1, 2, 3]), ("container/facts.json", Array("{}".utf8))]

    static let manifest = ArchiveManifest(
        crplanVersion: "test", createdAt: "2026-11-30T12:00:00Z",
        source: ArchiveSource(engine: "docker", engineVersion: "20.10.24", storageDriver: "overlay2", kernel: "6.18", criuVersion: "4.1.1"),
        files: files.map { ArchiveFileRecord(path: $0.0, size: Int64($0.1.count), sha256: ArchiveDigest.hex($0.1)) })

    static func file(_ path: String, _ contents: [UInt8]) -> ArchiveListingEntry {
        ArchiveListingEntry(path: path, kind: .file, size: Int64(contents.count), sha256: ArchiveDigest.hex(contents))
    }

    static let manifestEntry = ArchiveListingEntry(path: ArchiveLayout.manifest, kind: .file, size: 10, sha256: nil)
    static let inventory = file("checkpoint/inventory.img", [1, 2, 3])
    static let facts = file("container/facts.json", Array("{}".utf8))

    @Test func acceptsAnIntactListingWithFolders() throws {
        try ArchiveVerifier.verify([Self.manifestEntry, Self.inventory, Self.facts], against: Self.manifest)
        let folders = ["checkpoint", "container", "stats"].map { ArchiveListingEntry(path: $0, kind: .directory) }
        try ArchiveVerifier.verify(folders + [Self.manifestEntry, Self.inventory, Self.facts], against: Self.manifest)
    }

    /// `e\u{301}` and `\u{e9}` are equal Strings but different file names: a
    /// member whose bytes are not listed is refused.
    @Test func namesAreComparedAsBytes() throws {
        let listed = ArchiveManifest(
            crplanVersion: "test", createdAt: "2026-11-30T12:00:00Z", source: Self.manifest.source,
            files: Self.manifest.files + [ArchiveFileRecord(path: "checkpoint/\u{e9}", size: 1, sha256: ArchiveDigest.hex([7] as [UInt8]))])
        try ArchiveVerifier.verify([Self.manifestEntry, Self.inventory, Self.facts, Self.file("checkpoint/\u{e9}", [7])], against: listed)
        #expect(throws: ArchiveError.self) {
            try ArchiveVerifier.verify([Self.manifestEntry, Self.inventory, Self.facts, Self.file("checkpoint/e\u{301}", [7])], against: listed)
        }
        #expect(listed.record(for: "checkpoint/e\u{301}") == nil)
    }

    @Test func refusesATamperedMemberByName() throws {
        #expect(throws: ArchiveError.checksumMismatch(
            "checkpoint/inventory.img", expected: ArchiveDigest.hex([1, 2, 3] as [UInt8]), actual: ArchiveDigest.hex([0xfe, 2, 3] as [UInt8]))
        ) { try ArchiveVerifier.verify([Self.manifestEntry, Self.file("checkpoint/inventory.img", [0xfe, 2, 3]), Self.facts], against: Self.manifest) }
    }

    @Test func refusesMissingUnlistedDuplicateAndResizedMembers() throws {
        #expect(throws: ArchiveError.missingMember("container/facts.json")) {
            try ArchiveVerifier.verify([Self.manifestEntry, Self.inventory], against: Self.manifest)
        }
        #expect(throws: ArchiveError.unlistedMember("checkpoint/extra.img")) {
            try ArchiveVerifier.verify([Self.manifestEntry, Self.inventory, Self.facts, Self.file("checkpoint/extra.img", [])], against: Self.manifest)
        }
        #expect(throws: ArchiveError.duplicateMember("checkpoint/inventory.img")) {
            try ArchiveVerifier.verify([Self.manifestEntry, Self.inventory, Self.inventory, Self.facts], against: Self.manifest)
        }
        #expect(throws: ArchiveError.sizeMismatch("checkpoint/inventory.img", expected: 3, actual: 2)) {
            try ArchiveVerifier.verify([Self.manifestEntry, Self.file("checkpoint/inventory.img", [1, 2]), Self.facts], against: Self.manifest)
        }
        #expect(throws: ArchiveError.missingManifest) { try ArchiveVerifier.verify([Self.inventory, Self.facts], against: Self.manifest) }
        #expect(throws: ArchiveError.unlistedMember("rootfs/x/")) {
            try ArchiveVerifier.verify(
                [Self.manifestEntry, Self.inventory, Self.facts, ArchiveListingEntry(path: "rootfs/x", kind: .directory)], against: Self.manifest)
        }
    }

    @Test func refusesSpecialFilesInAListing() throws {
        let entries = [
            ArchiveListingEntry(path: "manifest.json", kind: .file),
            ArchiveListingEntry(path: "checkpoint/inventory.img", kind: .other("symbolic link")),
        ]
        #expect(throws: ArchiveError.forbiddenMemberType("checkpoint/inventory.img", type: "symbolic link")) {
            try ArchiveVerifier.verify(entries, against: Self.manifest)
        }
    }
}
