import Crypto

/// SHA-256 (from swift-crypto) as 64 lowercase hex digits: the journal's
/// line checksums and the plan digest.
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
