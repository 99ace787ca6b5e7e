/// The whole check of one plan file: load the YAML, validate the plan.
///
/// Front ends (the CLI, tests, editors) call this; it neither reads files
/// nor prints. `environment` is what `crplan plan` would substitute for
/// `${env.*}`: given it, lint resolves every compile-time value as the
/// planner does and reports what would fail there (an unset variable, a
/// path an environment value makes relative) at its line and column, so a
/// plan that lints clean compiles. Nil checks the defaults of `${env.*}`
/// variables only, as if none were set.
public enum Linter {
    public static func lint(bytes: UnsafeRawBufferPointer, file: String, environment: [String: String]? = nil) -> ValidationResult {
        lint(bytes: bytes, file: file, buildingPlan: true, environment: environment)
    }

    /// Only the diagnostics, sorted: what `crplan lint` needs, a little
    /// faster because no `Plan` is assembled.
    public static func diagnostics(bytes: UnsafeRawBufferPointer, file: String, environment: [String: String]? = nil) -> [Diagnostic] {
        lint(bytes: bytes, file: file, buildingPlan: false, environment: environment).diagnostics
    }

    static func lint(bytes: UnsafeRawBufferPointer, file: String, buildingPlan: Bool, environment: [String: String]?) -> ValidationResult {
        let loaded = YAMLLoader.load(bytes, file: file)
        guard loaded.isComplete else {
            return ValidationResult(plan: nil, diagnostics: loaded.diagnostics)
        }
        var context = ValidationContext(file: file)
        context.append(contentsOf: loaded.diagnostics)
        let plan = PlanValidator.validate(loaded.documents, context: &context, buildingPlan: buildingPlan, environment: environment)
        return ValidationResult(plan: context.hasErrors ? nil : plan, diagnostics: context.reported)
    }

    public static func lint(bytes: [UInt8], file: String, environment: [String: String]? = nil) -> ValidationResult {
        bytes.withUnsafeBytes { lint(bytes: $0, file: file, environment: environment) }
    }

    public static func lint(text: String, file: String, environment: [String: String]? = nil) -> ValidationResult {
        var text = text
        return text.withUTF8 { lint(bytes: UnsafeRawBufferPointer($0), file: file, environment: environment) }
    }
}

/// The result of linting one file.
public typealias LintResult = ValidationResult
