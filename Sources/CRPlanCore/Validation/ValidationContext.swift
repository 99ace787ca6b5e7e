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

    /// Diagnostics not kept because `PlanLimits.maximumDiagnostics` were.
    private(set) var dropped = 0

    mutating func error(_ rule: RuleID, at location: SourceLocation?, _ message: String, hint: String? = nil) {
        hasErrors = true
        keep(Diagnostic(file: file, location: location, severity: .error, rule: rule, message: message, hint: hint))
    }

    mutating func warning(_ rule: RuleID, at location: SourceLocation?, _ message: String, hint: String? = nil) {
        keep(Diagnostic(file: file, location: location, severity: .warning, rule: rule, message: message, hint: hint))
    }

    /// True when no error was reported after the first `count` diagnostics.
    func noErrors(since count: Int) -> Bool {
        !diagnostics[count...].contains { $0.severity == .error }
    }

    mutating func append(contentsOf other: [Diagnostic]) {
        for diagnostic in other {
            if diagnostic.severity == .error { hasErrors = true }
            keep(diagnostic)
        }
    }

    private mutating func keep(_ diagnostic: Diagnostic) {
        guard diagnostics.count < PlanLimits.maximumDiagnostics else {
            dropped += 1
            return
        }
        diagnostics.append(diagnostic)
    }

    /// The diagnostics sorted, and last one more saying how many were dropped, if any.
    var reported: [Diagnostic] {
        let kept = PlanValidator.sorted(diagnostics)
        guard dropped > 0 else { return kept }
        return kept + [Diagnostic(
            file: file, location: nil, severity: hasErrors ? .error : .warning, rule: .limitExceeded,
            message: "\(dropped) more problems are not shown; crplan reports at most \(PlanLimits.maximumDiagnostics) per file",
            hint: "fix the problems shown and lint again"
        )]
    }
}

/// Where a value sits in the plan, for messages: `criu.logLevel`,
/// `extMounts[0].path`. Built on every field read but spelled out only
/// when a message needs it, so the path costs nothing on valid plans.
struct FieldPath: CustomStringConvertible {
    // Up to two components, each with an optional list index; deeper
    // paths fold the first two into `first`.
    private var first: String
    private var firstIndex = -1
    /// "" when the path has one component.
    private var second = ""
    private var secondIndex = -1

    init(_ text: String) {
        first = text
    }

    func child(_ key: String) -> FieldPath {
        if isRoot { return FieldPath(key) }
        guard second.isEmpty else {
            var path = FieldPath(text)
            path.second = key
            return path
        }
        var path = self
        path.second = key
        return path
    }

    func index(_ index: Int) -> FieldPath {
        var path = self
        if second.isEmpty {
            if firstIndex >= 0 { return FieldPath(text).index(index) }
            path.firstIndex = index
        } else {
            if secondIndex >= 0 { return FieldPath(text).index(index) }
            path.secondIndex = index
        }
        return path
    }

    var text: String {
        var result = first
        if firstIndex >= 0 { result += "[\(firstIndex)]" }
        if !second.isEmpty {
            result += "." + second
            if secondIndex >= 0 { result += "[\(secondIndex)]" }
        }
        return result
    }

    var isRoot: Bool { first.isEmpty && second.isEmpty }

    var description: String { text }
}

/// A plan value as messages show it: line breaks and tabs escaped, so that
/// every diagnostic stays on one line of text output, and cut after
/// `PlanLimits.maximumShownCharacters` characters, so that a long value
/// repeated by aliases cannot blow up the output.
func shown(_ value: String) -> String {
    let limit = PlanLimits.maximumShownCharacters
    let isLong = value.utf8.count > limit
    guard isLong || value.unicodeScalars.contains(where: CommandValueChecks.isRefusedCharacter) else { return value }
    var result = ""
    var count = 0
    for scalar in value.unicodeScalars {
        count += 1
        if count > limit {
            result += "… (\(value.utf8.count) bytes)"
            break
        }
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where CommandValueChecks.isRefusedCharacter(scalar): result += "\\u{\(String(scalar.value, radix: 16))}"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}
