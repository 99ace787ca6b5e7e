import Foundation
import Testing
@testable import CRPlanCore

@Suite struct ArchiveManifestTests {
    static let files: [(String, [UInt8])] = [
        ("checkpoint/inventory.img", [1, 2]), ("checkpoint/pages-1.img", [3]), ("container/facts.json", Array("{}".utf8)),
        ("rootfs/changes.tar", []), ("rootfs/deleted.json", Array("[]".utf8)), ("stats/dump.log", [4]),
    ]

    @Test func roundTripsThroughJSON() throws {
        let manifest = try TestManifest.make(Self.files)
        let decoded = try ArchiveManifest.decode(try manifest.encoded())
        #expect(decoded == manifest)
        #expect(decoded.files.map(\.path) == Self.files.map(\.0))
        #expect(decoded.record(for: "checkpoint/pages-1.img")?.sha256 == ArchiveDigest.hex([3] as [UInt8]))
    }

    @Test func digestIsSHA256() {
        #expect(ArchiveDigest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    static func edited(_ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var object = try JSONSerialization.jsonObject(with: Data(try TestManifest.make(files).encoded())) as? [String: Any] ?? [:]
        edit(&object)
        return Array(try JSONSerialization.data(withJSONObject: object))
    }

    static func editFile(_ index: Int, _ key: String, _ value: Any) throws -> [UInt8] {
        try edited { object in
            var files = object["files"] as? [[String: Any]] ?? []
            files[index][key] = value
            object["files"] = files
        }
    }

    @Test func refusesUnknownVersionsFormatsAndKeys() throws {
        #expect(throws: ArchiveError.unsupportedVersion(2, supported: 1)) { try ArchiveManifest.decode(try Self.edited { $0["formatVersion"] = 2 }) }
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode(try Self.edited { $0["format"] = "tar" }) }
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode(try Self.edited { $0["extra"] = 1 }) }
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode(try Self.edited { $0["createdAt"] = nil }) }
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode(Array("not json".utf8)) }
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode([UInt8](repeating: 0x20, count: 100), limits: ArchiveLimits(maximumManifestSize: 10)) }
    }

    @Test(arguments: [
        "/etc/passwd", "../x", "checkpoint/../x", "checkpoint", "checkpoint/", "other/file", "rootfs/evil.sh",
        "container/x.json", "manifest.json", "checkpoint//a", "checkpoint/./a",
    ])
    func refusesMemberPathsOutsideTheLayout(path: String) throws {
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode(try Self.editFile(0, "path", path)) }
    }

    @Test func refusesBadSizesHashesDuplicatesAndFileFolderClashes() throws {
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode(try Self.editFile(0, "size", -1)) }
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode(try Self.editFile(0, "sha256", "ABC")) }
        #expect(throws: ArchiveError.self) { try ArchiveManifest.decode(try Self.editFile(0, "path", "checkpoint/pages-1.img")) }
        var clash = try TestManifest.make([("checkpoint/a", []), ("checkpoint/a/b", [])])
        #expect(throws: ArchiveError.self) { try clash.validate() }
        clash.files = clash.files.reversed()
        #expect(throws: ArchiveError.self) { try clash.validate() }
        let many = (0..<3).map { ("checkpoint/\($0)", [UInt8]()) }
        #expect(throws: ArchiveError.self) {
            try ArchiveManifest.decode(try TestManifest.make(many).encoded(), limits: ArchiveLimits(maximumFiles: 2))
        }
    }
}
