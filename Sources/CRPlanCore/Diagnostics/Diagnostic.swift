/// How serious a diagnostic is. `--strict` turns warnings into errors.
public enum Severity: String, Sendable, Codable, Hashable, Comparable {
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .warning && rhs == .error
    }
}

/// One problem found in a plan file: where, how bad, which rule, what to do.
///
/// Every layer that reads plan text reports through this type, so the
/// linter's output formats (text, JSON, GitHub annotations) see one shape.
public struct Diagnostic: Sendable, Hashable, Codable {
    public var file: String
    public var location: SourceLocation?
    public var severity: Severity
    public var rule: RuleID
    public var message: String
    /// An optional suggestion, e.g. "did you mean `imageDir`?".
    public var hint: String?

    public init(
        file: String,
        location: SourceLocation?,
        severity: Severity,
        rule: RuleID,
        message: String,
        hint: String? = nil
    ) {
        self.file = file
        self.location = location
        self.severity = severity
        self.rule = rule
        self.message = message
        self.hint = hint
    }
}
