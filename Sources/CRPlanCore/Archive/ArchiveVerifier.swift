/// One entry of an archive or of an extracted folder, as read (untrusted):
/// its relative path, kind, size and, for a regular file, its SHA-256.
public struct ArchiveListingEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case file
        case directory
        /// A symbolic link, device, fifo, hard link, … (named for messages).
        case other(String)
    }

    public var path: String
    public var kind: Kind
    public var size: Int64
    public var sha256: String?

    public init(path: String, kind: Kind, size: Int64 = 0, sha256: String? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.sha256 = sha256
    }
}

/// Compares what an archive (or an extracted staging folder) holds with its
/// manifest: every listed file present once, as a regular file, with the
/// listed size and SHA-256; nothing unlisted (folders only as the parents
/// of listed files); no links, devices or other special files. Reports the
/// first problem in path order.
public enum ArchiveVerifier {
    public static func verify(
        _ entries: [ArchiveListingEntry], against manifest: ArchiveManifest, limits: ArchiveLimits = .standard
    ) throws(ArchiveError) {
        // Names are compared as bytes (keys are their UTF-8): Swift's String
        // equality is canonical equivalence, so `e\u{301}` would match `\u{e9}`.
        func key(_ path: String) -> [UInt8] { Array(path.utf8) }
        var byPath: [[UInt8]: ArchiveListingEntry] = [:]
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            try ArchivePath.validateSyntax(entry.path, limits: limits)
            guard byPath.updateValue(entry, forKey: key(entry.path)) == nil else { throw .duplicateMember(entry.path) }
            if case .other(let type) = entry.kind { throw .forbiddenMemberType(entry.path, type: type) }
        }
        var folders: Set<[UInt8]> = []
        for file in manifest.files { folders.formUnion(ArchivePath.ancestors(of: file.path).map(key)) }
        folders.formUnion(ArchiveLayout.topLevelDirectories.map(key))
        let listed = Set(manifest.files.map { key($0.path) })
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            let path = entry.path
            switch entry.kind {
            case .directory:
                guard folders.contains(key(path)) else { throw .unlistedMember(path + "/") }
            case .file:
                if key(path) == key(ArchiveLayout.manifest) { continue }
                guard listed.contains(key(path)) else { throw .unlistedMember(path) }
            case .other(let type):
                throw .forbiddenMemberType(path, type: type)
            }
        }
        guard byPath[key(ArchiveLayout.manifest)]?.kind == .file else { throw .missingManifest }
        for record in manifest.files {
            guard let entry = byPath[key(record.path)] else { throw .missingMember(record.path) }
            guard entry.kind == .file else { throw .forbiddenMemberType(record.path, type: "folder") }
            guard entry.size == record.size else { throw .sizeMismatch(record.path, expected: record.size, actual: entry.size) }
            guard let actual = entry.sha256 else { throw .checksumMismatch(record.path, expected: record.sha256, actual: "(not computed)") }
            guard actual == record.sha256 else { throw .checksumMismatch(record.path, expected: record.sha256, actual: actual) }
        }
    }
}
