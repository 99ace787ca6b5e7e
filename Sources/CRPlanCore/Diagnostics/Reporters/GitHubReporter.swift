/// GitHub Actions workflow commands, which annotate the plan's lines in a
/// pull request: `::error file=…,line=…,col=…,title=rule-id::message`.
public struct GitHubReporter: DiagnosticReporter {
    public init() {}

    public func render(_ diagnostics: [Diagnostic]) -> String {
        var output = ""
        for diagnostic in diagnostics {
            var properties = ["file=" + Self.escapeProperty(diagnostic.file)]
            if let location = diagnostic.location {
                properties.append("line=\(location.line)")
                properties.append("col=\(location.column)")
            }
            properties.append("title=" + Self.escapeProperty(diagnostic.rule.rawValue))
            var message = diagnostic.message
            if let hint = diagnostic.hint { message += "\nhint: " + hint }
            output += "::\(diagnostic.severity.rawValue) " + properties.joined(separator: ",")
            output += "::" + Self.escapeData(message) + "\n"
        }
        return output
    }

    /// The message: `%`, CR and LF are escaped.
    static func escapeData(_ text: String) -> String {
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// A property value: also `:` and `,`, which separate properties.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
