/// Collects the diagnostics of one plan file while the validator walks it.
///
/// Each section reader reports into it and goes on, so that every problem
/// in a file is found in one run.
struct ValidationContext {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var hasErrors = false

    init(file: String) {
        self.file = file
    }

    mutating func error(_ rule: RuleID, at location: SourceLocation?, _ message: String, hint: String? = nil) {
        hasErrors = true
        diagnostics.append(Diagnostic(file: file, location: location, severity: .error, rule: rule, message: message, hint: hint))
    }

    mutating func warning(_ rule: RuleID, at location: SourceLocation?, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .warning, rule: rule, message: message, hint: hint))
    }

    mutating func append(contentsOf other: [Diagnostic]) {
        for diagnostic in other {
            if diagnostic.severity == .error { hasErrors = true }
            diagnostics.append(diagnostic)
        }
    }
}

/// Where a value sits in the plan, for messages: `criu.logLevel`, `extMounts[0].path`.
struct FieldPath: CustomStringConvertible {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    func child(_ key: String) -> FieldPath {
        FieldPath(text.isEmpty ? key : text + "." + key)
    }

    func index(_ index: Int) -> FieldPath {
        FieldPath(text + "[\(index)]")
    }

    var description: String { text }
}
