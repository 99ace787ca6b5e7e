/// Writes a string as a YAML scalar that reads back as exactly that string
/// under YAML 1.1 and 1.2 alike: plain when it is unmistakably a string
/// made of safe characters, else double-quoted with every `"`, `\`,
/// control character and Unicode line break escaped, so no value can end
/// the line, the comment or the scalar it is written in.
public enum YAMLScalarText {
    public static func scalar(_ value: String) -> String {
        isSafePlain(value) ? value : doubleQuoted(value)
    }

    /// `"…"` with YAML's double-quoted escapes.
    public static func doubleQuoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\u{85}": result += "\\N"
            case "\u{2028}": result += "\\L"
            case "\u{2029}": result += "\\P"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFEFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Letters, digits, `/`, `_`, `.`, `-`, `+`, `@` only, not starting
    /// with `-` (a sequence entry or a sign), and typed as a string by both
    /// YAML versions (`1234`, `yes`, `null`, `1e3` are not).
    static func isSafePlain(_ value: String) -> Bool {
        guard let first = value.utf8.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "@") else { return false }
        let allowed = value.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || "/_.-+@".utf8.contains(byte)
        }
        guard allowed else { return false }
        return withBytes(of: value) { bytes in
            PlainScalarResolver.yaml12Type(bytes) == .string && PlainScalarResolver.yaml11Type(bytes) == .string
        }
    }
}
