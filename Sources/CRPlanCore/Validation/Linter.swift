/// The whole check of one plan file: load the YAML, validate the plan.
///
/// Front ends (the CLI, tests, editors) call this; it neither reads files
/// nor prints.
public enum Linter {
    public static func lint(bytes: UnsafeRawBufferPointer, file: String) -> ValidationResult {
        lint(bytes: bytes, file: file, buildingPlan: true)
    }

    /// Only the diagnostics, sorted: what `crplan lint` needs, a little
    /// faster because no `Plan` is assembled.
    public static func diagnostics(bytes: UnsafeRawBufferPointer, file: String) -> [Diagnostic] {
        lint(bytes: bytes, file: file, buildingPlan: false).diagnostics
    }

    static func lint(bytes: UnsafeRawBufferPointer, file: String, buildingPlan: Bool) -> ValidationResult {
        let loaded = YAMLLoader.load(bytes, file: file)
        guard loaded.isComplete else {
            return ValidationResult(plan: nil, diagnostics: loaded.diagnostics)
        }
        var context = ValidationContext(file: file)
        context.append(contentsOf: loaded.diagnostics)
        let plan = PlanValidator.validate(loaded.documents, context: &context, buildingPlan: buildingPlan)
        return ValidationResult(plan: context.hasErrors ? nil : plan, diagnostics: context.reported)
    }

    public static func lint(bytes: [UInt8], file: String) -> ValidationResult {
        bytes.withUnsafeBytes { lint(bytes: $0, file: file) }
    }

    public static func lint(text: String, file: String) -> ValidationResult {
        var text = text
        return text.withUTF8 { lint(bytes: UnsafeRawBufferPointer($0), file: file) }
    }
}

/// The result of linting one file.
public typealias LintResult = ValidationResult
