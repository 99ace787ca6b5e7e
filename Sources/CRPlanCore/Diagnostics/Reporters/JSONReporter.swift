/// One JSON array of diagnostics, one object per line, with the keys
/// file, line, column, severity, rule, message, hint (null when absent).
public struct JSONReporter: DiagnosticReporter {
    public init() {}

    public func render(_ diagnostics: [Diagnostic]) -> String {
        guard !diagnostics.isEmpty else { return "[]\n" }
        var output = "[\n"
        for (index, diagnostic) in diagnostics.enumerated() {
            output += "  {\"file\":" + Self.string(diagnostic.file)
            output += ",\"line\":" + (diagnostic.location.map { String($0.line) } ?? "null")
            output += ",\"column\":" + (diagnostic.location.map { String($0.column) } ?? "null")
            output += ",\"severity\":" + Self.string(diagnostic.severity.rawValue)
            output += ",\"rule\":" + Self.string(diagnostic.rule.rawValue)
            output += ",\"message\":" + Self.string(diagnostic.message)
            output += ",\"hint\":" + (diagnostic.hint.map(Self.string) ?? "null")
            output += index == diagnostics.count - 1 ? "}\n" : "},\n"
        }
        return output + "]\n"
    }

    /// A JSON string literal (RFC 8259 escapes).
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
