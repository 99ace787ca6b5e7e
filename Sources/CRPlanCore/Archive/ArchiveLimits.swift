/// Bounds applied to untrusted archives before anything is trusted or
/// written: the archive's own size, counts, sizes, name lengths.
public struct ArchiveLimits: Sendable, Hashable {
    public var maximumFiles: Int
    public var maximumFileSize: Int64
    public var maximumTotalSize: Int64
    public var maximumPathLength: Int
    public var maximumManifestSize: Int
    /// The archive file as given (compressed or not).
    public var maximumArchiveSize: Int64

    public init(
        maximumFiles: Int = 100_000, maximumFileSize: Int64 = 64 << 30, maximumTotalSize: Int64 = 256 << 30,
        maximumPathLength: Int = 1024, maximumManifestSize: Int = 16 << 20, maximumArchiveSize: Int64 = 256 << 30
    ) {
        self.maximumFiles = maximumFiles
        self.maximumFileSize = maximumFileSize
        self.maximumTotalSize = maximumTotalSize
        self.maximumPathLength = maximumPathLength
        self.maximumManifestSize = maximumManifestSize
        self.maximumArchiveSize = maximumArchiveSize
    }

    public static let standard = ArchiveLimits()

    /// Members a well-formed archive can hold: the listed files, the manifest,
    /// and at most one folder entry per file (each file's parent).
    public var maximumMembers: Int { maximumFiles * 2 + 8 }

    /// The largest tar the limits allow: the files, plus per member a header,
    /// a pax header and padding, plus the manifest and the end blocks.
    public var maximumTarSize: Int64 {
        maximumTotalSize + Int64(maximumMembers) * 4 * 512 + Int64(maximumManifestSize) + (1 << 20)
    }
}
