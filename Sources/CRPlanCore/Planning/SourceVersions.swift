/// The source machine's versions for an archive's manifest — its Docker
/// engine, kernel release and CRIU — asked by check-target before anything
/// is frozen (printed commands) and journaled with the run's facts, so
/// write-archive runs no probe inside the frozen window. Each value is one
/// printable line of bounded length, or nil (not known); a journaled value
/// that is not is refused when the facts are read back.
public struct SourceVersions: Sendable, Hashable, Codable {
    /// `docker version --format {{.Server.Version}}` of the source engine.
    public var engine: String?
    /// `uname --kernel-release`.
    public var kernel: String?
    /// CRIU's version (`4.1.1` from `criu --version`'s `Version: 4.1.1`).
    public var criu: String?

    /// Longest engine or kernel version kept.
    public static let maximumLineLength = 200
    /// Longest CRIU version kept.
    public static let maximumCRIULength = 64

    public init(engine: String? = nil, kernel: String? = nil, criu: String? = nil) {
        self.engine = engine
        self.kernel = kernel
        self.criu = criu
    }

    /// The first line of a probe's output, trimmed, when it is printable
    /// and at most `maximumLineLength` bytes; else nil.
    public static func firstLine(of output: String) -> String? {
        let line = output.split(separator: "\n").first.map { String($0) }?.trimmingWhitespace ?? ""
        return isAcceptable(line, limit: maximumLineLength) ? line : nil
    }

    /// `4.1.1` from `criu --version` (the line `Version: 4.1.1`), or nil.
    public static func criuVersion(of output: String) -> String? {
        let line = output.split(separator: "\n").first { $0.hasPrefix("Version:") }
        let version = line.map { String($0.dropFirst("Version:".count)).trimmingWhitespace } ?? ""
        return isAcceptable(version, limit: maximumCRIULength) ? version : nil
    }

    /// Non-empty, at most `limit` bytes, no control character.
    public static func isAcceptable(_ value: String, limit: Int) -> Bool {
        !value.isEmpty && value.utf8.count <= limit && value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7f }
    }

    private enum CodingKeys: String, CodingKey {
        case engine, kernel, criu
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func read(_ key: CodingKeys, limit: Int) throws -> String? {
            guard let value = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard Self.isAcceptable(value, limit: limit) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "the source's \(key.rawValue) version is not one printable line of at most \(limit) bytes")
            }
            return value
        }
        engine = try read(.engine, limit: Self.maximumLineLength)
        kernel = try read(.kernel, limit: Self.maximumLineLength)
        criu = try read(.criu, limit: Self.maximumCRIULength)
    }
}
