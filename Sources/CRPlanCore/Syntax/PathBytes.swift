/// Path splitting on the `/` byte, as the kernel does. Swift's `Character`
/// operations (`split(separator: "/")`, `lastIndex(of: "/")`,
/// `contains("{}")`, `for c in text`) see a `/` followed by a combining mark
/// (`"/\u{301}"`) as one grapheme and miss it; every path check goes through
/// these byte-based helpers instead.
public enum PathBytes {
    static let slash = UInt8(ascii: "/")

    /// The components of `path`, split at every `/` byte.
    public static func components(_ path: String, omittingEmpty: Bool = false) -> [Substring] {
        path.utf8.split(separator: slash, omittingEmptySubsequences: omittingEmpty).map { Substring($0) }
    }

    /// The text before the last `/` byte and the text after it; nil parent
    /// when `path` has no `/`.
    public static func parentAndName(_ path: String) -> (parent: Substring?, name: Substring) {
        guard let index = path.utf8.lastIndex(of: slash) else { return (nil, Substring(path)) }
        return (Substring(path.utf8[..<index]), Substring(path.utf8[path.utf8.index(after: index)...]))
    }

    /// Whether `text`'s bytes hold `needle`'s bytes.
    public static func contains(_ text: String, bytes needle: String) -> Bool {
        let haystack = Array(text.utf8), pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return pattern.isEmpty }
        for start in 0...(haystack.count - pattern.count) where haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
            return true
        }
        return false
    }

    /// `bytes` for a message: printable ASCII as it is (`\\` doubled), every
    /// other byte `\xNN`, so a name that is not UTF-8 can be shown and found.
    public static func escaped(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20..<0x7f: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return text
    }
}
