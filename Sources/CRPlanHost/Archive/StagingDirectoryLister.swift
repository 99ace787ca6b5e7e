import CRPlanCore

/// Lists an extracted folder for `ArchiveVerifier`: every entry below it
/// (lstat, symlinks never followed; a file with several links is a "hard
/// link") with its kind, size and the SHA-256 of
/// regular files. Special files are listed as `.other` so the verifier
/// refuses them. Bounded by `limits.maximumFiles`.
public enum StagingDirectoryLister {
    public static func list(_ root: String, limits: ArchiveLimits = .standard) throws(ArchiveError) -> [ArchiveListingEntry] {
        var entries: [ArchiveListingEntry] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? root : root + "/" + relative
            for name in try ArchiveFiles.list(absolute) {
                let path = relative.isEmpty ? name : relative + "/" + name
                guard entries.count < limits.maximumFiles else { throw .limitExceeded("more than \(limits.maximumFiles) entries in \(root)") }
                guard let (kind, size) = ArchiveFiles.kind(root + "/" + path, refusingHardLinks: true) else { throw .missingMember(path) }
                switch kind {
                case .file:
                    let (sha256, actual) = try ArchiveFiles.digest(root + "/" + path)
                    entries.append(ArchiveListingEntry(path: path, kind: .file, size: actual, sha256: sha256))
                    _ = size
                case .directory:
                    entries.append(ArchiveListingEntry(path: path, kind: .directory))
                    pending.append(path)
                case .other:
                    entries.append(ArchiveListingEntry(path: path, kind: kind))
                }
            }
        }
        return entries
    }

    /// Lists `root` and verifies it against `manifest`.
    public static func verify(_ root: String, against manifest: ArchiveManifest, limits: ArchiveLimits = .standard) throws(ArchiveError) {
        try ArchiveVerifier.verify(try list(root, limits: limits), against: manifest, limits: limits)
    }
}
