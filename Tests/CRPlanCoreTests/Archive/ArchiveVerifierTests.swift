import Testing
@testable import CRPlanCore

@Suite struct ArchiveVerifierTests {
    static let files: [(String, [UInt8])] = [("checkpoint/inventory.img", [1, 2, 3]), ("container/facts.json", Array("{}".utf8))]

    static func verify(_ bytes: [UInt8], _ manifest: ArchiveManifest) throws {
        let listing = try TestTar.listing(bytes)
        try ArchiveVerifier.verify(listing.entries, against: manifest)
    }

    @Test func acceptsAnIntactArchiveWithFolders() throws {
        let (bytes, manifest) = try TestTar.archive(Self.files)
        try Self.verify(bytes, manifest)
        let withFolders = Array(bytes.dropLast(1024)) + TestTar.directory("checkpoint") + TestTar.directory("stats") + TestTar.end
        try Self.verify(withFolders, manifest)
    }

    @Test func refusesATamperedMemberByName() throws {
        let (bytes, manifest) = try TestTar.archive(Self.files)
        var tampered = bytes
        // the first data byte of checkpoint/inventory.img: after manifest header+data and its own header
        let manifestSize = Int(try TestTar.listing(bytes).manifestBytes?.count ?? 0)
        let offset = 512 + (manifestSize + 511) / 512 * 512 + 512
        tampered[offset] ^= 0xff
        #expect(throws: ArchiveError.checksumMismatch(
            "checkpoint/inventory.img", expected: ArchiveDigest.hex([1, 2, 3] as [UInt8]), actual: ArchiveDigest.hex([0xfe, 2, 3] as [UInt8]))
        ) { try Self.verify(tampered, manifest) }
    }

    @Test func refusesMissingUnlistedDuplicateAndResizedMembers() throws {
        let (_, manifest) = try TestTar.archive(Self.files)
        let manifestFile = TestTar.file(ArchiveLayout.manifest, try manifest.encoded())
        let inventory = TestTar.file("checkpoint/inventory.img", [1, 2, 3])
        let facts = TestTar.file("container/facts.json", Array("{}".utf8))
        #expect(throws: ArchiveError.missingMember("container/facts.json")) { try Self.verify(manifestFile + inventory + TestTar.end, manifest) }
        #expect(throws: ArchiveError.unlistedMember("checkpoint/extra.img")) {
            try Self.verify(manifestFile + inventory + facts + TestTar.file("checkpoint/extra.img", []) + TestTar.end, manifest)
        }
        #expect(throws: ArchiveError.duplicateMember("checkpoint/inventory.img")) {
            try Self.verify(manifestFile + inventory + inventory + facts + TestTar.end, manifest)
        }
        #expect(throws: ArchiveError.sizeMismatch("checkpoint/inventory.img", expected: 3, actual: 2)) {
            try Self.verify(manifestFile + TestTar.file("checkpoint/inventory.img", [1, 2]) + facts + TestTar.end, manifest)
        }
        #expect(throws: ArchiveError.missingManifest) { try Self.verify(inventory + facts + TestTar.end, manifest) }
        #expect(throws: ArchiveError.unlistedMember("rootfs/x/")) {
            try Self.verify(manifestFile + inventory + facts + TestTar.directory("rootfs") + TestTar.directory("rootfs/x") + TestTar.end, manifest)
        }
    }

    @Test func refusesSpecialFilesInAListing() throws {
        let (_, manifest) = try TestTar.archive(Self.files)
        let entries = [
            ArchiveListingEntry(path: "manifest.json", kind: .file),
            ArchiveListingEntry(path: "checkpoint/inventory.img", kind: .other("symbolic link")),
        ]
        #expect(throws: ArchiveError.forbiddenMemberType("checkpoint/inventory.img", type: "symbolic link")) {
            try ArchiveVerifier.verify(entries, against: manifest)
        }
    }
}
