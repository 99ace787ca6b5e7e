/// How much an image dir holds on disk, by kind: the memory pages
/// (`pages-*.img`), CRIU's other images and files, and the logs (`*.log`).
/// Sizes are file lengths in bytes; subdirectories are not counted.
public struct CheckpointImageSize: Sendable, Hashable, Codable {
    public var pagesBytes: Int
    public var pagesFiles: Int
    /// Every other regular file: CRIU's metadata images, statistics, crplan's facts.
    public var otherBytes: Int
    public var otherFiles: Int
    public var logBytes: Int
    public var logFiles: Int

    public init(pagesBytes: Int = 0, pagesFiles: Int = 0, otherBytes: Int = 0, otherFiles: Int = 0, logBytes: Int = 0, logFiles: Int = 0) {
        self.pagesBytes = pagesBytes
        self.pagesFiles = pagesFiles
        self.otherBytes = otherBytes
        self.otherFiles = otherFiles
        self.logBytes = logBytes
        self.logFiles = logFiles
    }

    public var totalBytes: Int { pagesBytes + otherBytes + logBytes }

    /// The kind a file of the image dir counts as.
    public enum Kind: Sendable, Hashable {
        case pages, other, log
    }

    public static func kind(ofFileNamed name: String) -> Kind {
        if name.hasPrefix("pages-") && name.hasSuffix(".img") { return .pages }
        if name.hasSuffix(".log") { return .log }
        return .other
    }

    /// Counts one file.
    public mutating func add(fileNamed name: String, bytes: Int) {
        switch Self.kind(ofFileNamed: name) {
        case .pages:
            pagesBytes += bytes
            pagesFiles += 1
        case .other:
            otherBytes += bytes
            otherFiles += 1
        case .log:
            logBytes += bytes
            logFiles += 1
        }
    }

    /// `1.2 MiB (pages 1.1 MiB in 2 files, other 96.0 KiB in 31, logs 40.2 KiB)`.
    public var summary: String {
        "\(Self.bytes(totalBytes)) (pages \(Self.bytes(pagesBytes)) in \(pagesFiles) file\(pagesFiles == 1 ? "" : "s"), "
            + "other \(Self.bytes(otherBytes)) in \(otherFiles), logs \(Self.bytes(logBytes)))"
    }

    /// Bytes in B, KiB, MiB or GiB with one decimal.
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var unit = 0
        var scaled = Double(count)
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        let tenths = Int((scaled * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
