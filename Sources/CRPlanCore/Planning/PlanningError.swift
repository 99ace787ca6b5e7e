/// Why a valid plan could not be compiled in this environment.
///
/// The linter has checked the plan's text; what is left is what only the
/// environment decides (an unset variable, a value that expands to a
/// relative path) and combinations the procedure cannot run. Each message
/// names the plan field and says what to change.
public enum PlanningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `${env.NAME}` without a default, and NAME is not set.
    case unsetEnvironment(name: String, field: String)
    /// An environment variable's value holds `${`, which the dry run could
    /// not print unambiguously.
    case environmentValueHasVariable(name: String, field: String)
    /// A field refers to itself (`imageDir: ${imageDir}/x`) or to a field
    /// defined in terms of it.
    case cyclicVariable(Variable, field: String)
    /// A field that must be known before the container is inspected uses a
    /// runtime variable (`docker.home: ${container.dir}`).
    case runtimeValueNotAllowed(Variable, field: String)
    /// After substitution the value is empty.
    case emptyValue(field: String)
    /// After substitution the path is not absolute.
    case notAbsolutePath(field: String, value: String)
    /// After substitution the path has a `..` segment.
    case parentSegment(field: String, value: String)
    /// After substitution the value starts with `-`, so a command would
    /// read it as an option.
    case optionLikeValue(field: String, value: String)
    /// The native checkpoint name is not one Docker accepts.
    case invalidCheckpointName(String, field: String)
    /// A roundtrip whose dump leaves the container running would restore a
    /// second copy of the workload.
    case leaveRunningRoundtrip
    /// `target.ssh` after substitution is not a value crplan can reach a
    /// machine with (the reason names the field).
    case invalidSSH(SSHTargetError)

    public var description: String {
        switch self {
        case .unsetEnvironment(let name, let field):
            "\(field): environment variable \(name) is not set and has no default; export it, or give a default as `${env.\(name):-VALUE}`"
        case .environmentValueHasVariable(let name, let field):
            "\(field): environment variable \(name) holds `${`; crplan does not expand variables inside environment values, so give the final value"
        case .cyclicVariable(let variable, let field):
            "\(field) cannot use `${\(variable)}`: that value is defined in terms of \(field), or resolved after it; spell it out"
        case .runtimeValueNotAllowed(let variable, let field):
            "\(field): `${\(variable)}` is known only after inspecting the container, but \(field) is needed before that; use a literal, `${env.NAME}` or `${plan.name}`"
        case .emptyValue(let field):
            "\(field) is empty after substituting variables; check the environment variables it uses"
        case .notAbsolutePath(let field, let value):
            "\(field): `\(value)` is not an absolute path after substituting variables; check the environment variables it uses"
        case .parentSegment(let field, let value):
            "\(field): `\(value)` has a `..` segment after substituting variables; give a path without `..`"
        case .optionLikeValue(let field, let value):
            "\(field): `\(value)` starts with `-` after substituting variables, so a command would read it as an option"
        case .invalidCheckpointName(let name, let field):
            "\(field): `\(name)` is not a valid Docker checkpoint name (letters, digits, `_`, `.`, `-`, starting with a letter or digit, at least 2 characters)"
        case .leaveRunningRoundtrip:
            "criu.leaveRunning keeps the container running after the dump, so a roundtrip would restore a second copy of the workload; use operation: checkpoint, or set criu.leaveRunning to false"
        case .invalidSSH(let error):
            "target.ssh: \(error.description)"
        }
    }
}
