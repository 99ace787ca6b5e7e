/// Why `crplan init` cannot write a plan for a container.
public enum ScaffoldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--name` is no valid plan name.
    case invalidPlanName(String, problem: String)
    /// A value Docker reported that crplan will not put into a plan.
    case untrustedValue(field: String, value: String, why: String)
    /// The container is not running, so there is nothing to checkpoint.
    case notRunning(container: String)
    /// The storage driver is one external checkpoint/restore cannot serve.
    case unsupportedDriver(String)
    /// The scaffolded text does not lint clean (a crplan bug).
    case lintFailed([Diagnostic])

    public var description: String {
        switch self {
        case .invalidPlanName(let name, let problem):
            "`--name \(YAMLScalarText.doubleQuoted(name))` is no plan name: \(problem)"
        case .untrustedValue(let field, let value, let why):
            "Docker reported \(field) \(YAMLScalarText.doubleQuoted(String(value.prefix(200)))), which crplan will not write into a plan: \(why)"
        case .notRunning(let container):
            "container \(container) is not running: start it, or scaffold with `--operation restore`"
        case .unsupportedDriver(let driver):
            "the container uses the storage driver `\(driver)`, which external checkpoint/restore cannot serve: use `--mode native`"
        case .lintFailed(let diagnostics):
            "the scaffolded plan does not lint clean (a crplan bug: please report it): "
                + diagnostics.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.message) [\($0.rule.rawValue)]" }
                .joined(separator: "; ")
        }
    }
}
