import Crypto
import Foundation

/// Streaming SHA-256 (swift-crypto) of an archive member, as 64 lowercase
/// hex digits.
public struct ArchiveDigest {
    private var hasher = Crypto.SHA256()
    public private(set) var byteCount: Int64 = 0

    public init() {}

    public mutating func update(_ bytes: some DataProtocol) {
        hasher.update(data: bytes)
        byteCount += Int64(bytes.count)
    }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: buffer)
        byteCount += Int64(buffer.count)
    }

    public func finalize() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in hasher.finalize() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The digest of `bytes`.
    public static func hex(_ bytes: some DataProtocol) -> String {
        var digest = ArchiveDigest()
        digest.update(bytes)
        return digest.finalize()
    }

    static func isHex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
