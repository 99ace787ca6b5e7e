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
    /// How many times its own size a zstd archive may decompress to (the
    /// tar it holds). zstd reaches ~30,000× on zeros; a checkpoint rarely
    /// passes 100×. An archive beyond it can be decompressed by hand
    /// (`zstd -d`) and the plain tar imported, which is bounded by free space.
    public var maximumExpansionRatio: Int64
    /// Bytes left free on the staging folder's file system: an import writes
    /// the tar and its extraction only into what is free beyond this.
    public var stagingReserve: Int64

    public init(
        maximumFiles: Int = 100_000, maximumFileSize: Int64 = 64 << 30, maximumTotalSize: Int64 = 256 << 30,
        maximumPathLength: Int = 1024, maximumManifestSize: Int = 16 << 20, maximumArchiveSize: Int64 = 256 << 30,
        maximumExpansionRatio: Int64 = 1000, stagingReserve: Int64 = 512 << 20
    ) {
        self.maximumFiles = maximumFiles
        self.maximumFileSize = maximumFileSize
        self.maximumTotalSize = maximumTotalSize
        self.maximumPathLength = maximumPathLength
        self.maximumManifestSize = maximumManifestSize
        self.maximumArchiveSize = maximumArchiveSize
        self.maximumExpansionRatio = maximumExpansionRatio
        self.stagingReserve = stagingReserve
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
