/// `file:line:column: error: message [rule-id]`, then an indented hint,
/// as compilers print; ANSI colour only when asked (the CLI asks on a terminal).
public struct TextReporter: DiagnosticReporter {
    public var colored: Bool

    public init(colored: Bool = false) {
        self.colored = colored
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        var output = ""
        for diagnostic in diagnostics {
            var place = diagnostic.file
            if let location = diagnostic.location { place += ":\(location.line):\(location.column)" }
            let severity = diagnostic.severity.rawValue
            output += paint(place + ":", "1")
            output += " " + paint(severity + ":", diagnostic.severity == .error ? "1;31" : "1;33")
            output += " " + diagnostic.message + " " + paint("[\(diagnostic.rule.rawValue)]", "2")
            output += "\n"
            if let hint = diagnostic.hint {
                output += "    " + paint("hint:", "36") + " " + hint + "\n"
            }
        }
        return output
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
