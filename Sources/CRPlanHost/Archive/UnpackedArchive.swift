import CRPlanCore

/// The checks every unpacked archive goes through, whoever unpacked it
/// (`crplan import` through `ArchiveReader`, a restore's `open-archive`
/// through its printed `tar --extract`): `manifest.json` read bounded and
/// decoded, the tree walked with lstat (no link followed, a file with
/// several links refused) and every file's size and SHA-256 compared with
/// the manifest (`ArchiveVerifier`: nothing unlisted, nothing missing);
/// then, and only then, folders made 0700 and files 0600.
public enum UnpackedArchive {
    /// Verifies `tree` (an unpacked archive) and returns its manifest.
    /// `listedManifestSize`: the manifest's size in the checked tar listing, which the file must have.
    public static func verify(_ tree: String, listedManifestSize: Int64?, limits: ArchiveLimits) throws(ArchiveError) -> ArchiveManifest {
        let path = tree + "/" + ArchiveLayout.manifest
        guard let size = ArchiveFiles.regularFileSize(path), listedManifestSize == nil || size == listedManifestSize else {
            throw .missingManifest
        }
        let manifest = try ArchiveManifest.decode(try ArchiveReader.readSmallFile(path, limit: limits.maximumManifestSize), limits: limits)
        try StagingDirectoryLister.verify(tree, against: manifest, limits: limits)
        try ArchiveFiles.restrictModes(tree)
        return manifest
    }
}

extension SystemHost {
    public func verifyUnpackedArchive(at tree: String, listedManifestSize: Int64?, limits: ArchiveLimits) async throws(HostError) -> ArchiveManifest {
        do {
            return try UnpackedArchive.verify(tree, listedManifestSize: listedManifestSize, limits: limits)
        } catch {
            throw .io(operation: "accept the unpacked archive", path: tree, message: error.description)
        }
    }
}
