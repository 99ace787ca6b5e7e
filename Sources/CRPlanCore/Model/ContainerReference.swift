/// How a plan names its container: a full id, an id prefix or a name.
///
/// Validated against Docker's own patterns so that no plan value that
/// begins with `-` ever reaches a positional argument of a command.
public struct ContainerReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// 64 lowercase hex digits.
        case fullID
        /// 4 to 63 hex digits: Docker resolves it as an id prefix, or a name.
        case idPrefixOrName
        /// Anything else matching `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
        case name
    }

    public var value: String
    public var kind: Kind

    /// Nil when `value` is neither an id, an id prefix nor a Docker name.
    public init?(_ value: String) {
        let bytes = Array(value.utf8)
        let isHex = !bytes.isEmpty && bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        if isHex && bytes.count == 64 {
            kind = .fullID
        } else if isHex && bytes.count >= 4 && bytes.count < 64 {
            kind = .idPrefixOrName
        } else if ContainerReference.isDockerName(bytes) {
            kind = .name
        } else {
            return nil
        }
        self.value = value
    }

    /// Docker's container name pattern `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
    static func isDockerName(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2, let first = bytes.first, isAlphanumeric(first) else { return false }
        return bytes.dropFirst().allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let reference = ContainerReference(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid container reference \(text)"))
        }
        self = reference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
