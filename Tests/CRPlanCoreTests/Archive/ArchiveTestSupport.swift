@testable import CRPlanCore

/// Builds small tar streams in memory for the archive tests.
enum TestTar {
    static func file(_ name: String, _ contents: [UInt8], mode: UInt32 = 0o600) -> [UInt8] {
        TarHeader.blocks(name: name, kind: .file, size: Int64(contents.count), mode: mode, modificationTime: 0)
            + contents + TarHeader.padding(for: Int64(contents.count))
    }

    static func directory(_ name: String) -> [UInt8] {
        TarHeader.blocks(name: name + "/", kind: .directory, size: 0, mode: 0o700, modificationTime: 0)
    }

    /// A raw header of any type flag (symlink '2', device '3', …), with a valid checksum.
    static func raw(_ name: String, flag: UInt8, size: Int64 = 0, linkName: String = "") -> [UInt8] {
        var block = TarHeader.blocks(name: name, kind: .file, size: size, mode: 0o644, modificationTime: 0)
        block[156] = flag
        for (index, byte) in linkName.utf8.prefix(100).enumerated() { block[157 + index] = byte }
        return resum(block)
    }

    /// Recomputes a header's checksum after a test edited it.
    static func resum(_ header: [UInt8]) -> [UInt8] {
        var block = header
        for index in 148..<156 { block[index] = UInt8(ascii: " ") }
        let sum = block.prefix(512).reduce(0) { $0 + Int($1) }
        let digits = Array(String(sum, radix: 8).leftPadded(to: 6).utf8) + [0, UInt8(ascii: " ")]
        for (offset, byte) in digits.enumerated() { block[148 + offset] = byte }
        return block
    }

    static let end = TarHeader.endOfArchive

    static func manifest(_ files: [(String, [UInt8])]) throws -> ArchiveManifest {
        ArchiveManifest(
            crplanVersion: "test", createdAt: "2026-11-30T12:00:00Z",
            source: ArchiveSource(engine: "docker", engineVersion: "20.10.24", storageDriver: "overlay2", kernel: "6.18", criuVersion: "4.1.1"),
            files: files.map { ArchiveFileRecord(path: $0.0, size: Int64($0.1.count), sha256: ArchiveDigest.hex($0.1)) })
    }

    /// A complete, valid archive stream (manifest first) and its manifest.
    static func archive(_ files: [(String, [UInt8])]) throws -> ([UInt8], ArchiveManifest) {
        let manifest = try manifest(files)
        var bytes = file(ArchiveLayout.manifest, try manifest.encoded())
        for (name, contents) in files { bytes += file(name, contents) }
        return (bytes + end, manifest)
    }

    /// Reads a whole stream into listing entries (as the importer does).
    static func listing(_ bytes: [UInt8]) throws -> (entries: [ArchiveListingEntry], manifestBytes: [UInt8]?) {
        var reader = TarStreamReader(source: TarMemorySource(bytes))
        var entries: [ArchiveListingEntry] = []
        var manifest: [UInt8]?
        while let member = try reader.nextMember() {
            if member.kind == .directory {
                entries.append(ArchiveListingEntry(path: member.path, kind: .directory))
                continue
            }
            let data = try reader.readAll(limit: 1 << 20)
            if member.path == ArchiveLayout.manifest { manifest = data }
            entries.append(ArchiveListingEntry(path: member.path, kind: .file, size: Int64(data.count), sha256: ArchiveDigest.hex(data)))
        }
        return (entries, manifest)
    }
}
