/// The kinds of CRIU image crplan decodes, and the magic numbers that
/// start each (CRIU's `criu/include/magic.h`; CRIU writes them as
/// little-endian u32 values).
///
/// Since image version 1.1 most images start with `IMG_COMMON_MAGIC` and
/// then their own magic; service files (statistics) start with
/// `IMG_SERVICE_MAGIC` instead; `inventory.img` has only its own magic.
public enum CRIUImageKind: String, Sendable, Hashable, CaseIterable {
    case inventory
    case processTree
    case core
    case statistics

    static let commonMagic: UInt32 = 0x5456_4319
    static let serviceMagic: UInt32 = 0x5510_5940
    static let inventoryMagic: UInt32 = 0x5831_3116
    static let processTreeMagic: UInt32 = 0x5027_3030
    static let coreMagic: UInt32 = 0x5505_3847
    static let statisticsMagic: UInt32 = 0x5709_3306

    /// The u32 values the file starts with.
    var magic: [UInt32] {
        switch self {
        case .inventory: [Self.inventoryMagic]
        case .processTree: [Self.commonMagic, Self.processTreeMagic]
        case .core: [Self.commonMagic, Self.coreMagic]
        case .statistics: [Self.serviceMagic, Self.statisticsMagic]
        }
    }

    /// How much crplan reads of such a file, at most. Generous for real
    /// containers (a core entry is about 2 KiB per thread; a tree entry
    /// about 12 bytes per task), small enough to refuse anything else
    /// before it costs memory.
    public var limits: CRIUImageLimits {
        switch self {
        case .inventory: CRIUImageLimits(fileBytes: 64 << 10, entryBytes: 64 << 10, entries: 1)
        case .processTree: CRIUImageLimits(fileBytes: 4 << 20, entryBytes: 256 << 10, entries: 65_536)
        case .core: CRIUImageLimits(fileBytes: 1 << 20, entryBytes: 256 << 10, entries: 1)
        case .statistics: CRIUImageLimits(fileBytes: 64 << 10, entryBytes: 64 << 10, entries: 1)
        }
    }
}

/// Bounds on what crplan reads of one image file.
public struct CRIUImageLimits: Sendable, Hashable {
    /// The largest file accepted.
    public var fileBytes: Int
    /// The largest size prefix accepted for one entry.
    public var entryBytes: Int
    /// The most entries accepted.
    public var entries: Int

    public init(fileBytes: Int, entryBytes: Int, entries: Int) {
        self.fileBytes = fileBytes
        self.entryBytes = entryBytes
        self.entries = entries
    }
}
