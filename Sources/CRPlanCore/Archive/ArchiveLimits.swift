/// Bounds applied to untrusted archives before anything is trusted or
/// written: counts, sizes, name lengths.
public struct ArchiveLimits: Sendable, Hashable {
    public var maximumFiles: Int
    public var maximumFileSize: Int64
    public var maximumTotalSize: Int64
    public var maximumPathLength: Int
    public var maximumManifestSize: Int
    /// pax extended headers and GNU long names.
    public var maximumExtensionHeaderSize: Int

    public init(
        maximumFiles: Int = 100_000, maximumFileSize: Int64 = 64 << 30, maximumTotalSize: Int64 = 256 << 30,
        maximumPathLength: Int = 1024, maximumManifestSize: Int = 16 << 20, maximumExtensionHeaderSize: Int = 64 << 10
    ) {
        self.maximumFiles = maximumFiles
        self.maximumFileSize = maximumFileSize
        self.maximumTotalSize = maximumTotalSize
        self.maximumPathLength = maximumPathLength
        self.maximumManifestSize = maximumManifestSize
        self.maximumExtensionHeaderSize = maximumExtensionHeaderSize
    }

    public static let standard = ArchiveLimits()
}
