@testable import CRPlanCore

/// Manifests for the archive tests.
enum TestManifest {
    static func make(_ files: [(String, [UInt8])]) throws -> ArchiveManifest {
        ArchiveManifest(
            crplanVersion: "test", createdAt: "2026-11-30T12:00:00Z",
            source: ArchiveSource(engine: "docker", engineVersion: "20.10.24", storageDriver: "overlay2", kernel: "6.18", criuVersion: "4.1.1"),
            files: files.map { ArchiveFileRecord(path: $0.0, size: Int64($0.1.count), sha256: ArchiveDigest.hex($0.1)) })
    }
}
