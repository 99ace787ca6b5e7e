/// The largest plan crplan reads, in every dimension a hostile or broken
/// file could grow: bytes, nesting, alias expansion, scalar length, keys,
/// list items, template nesting, durations.
///
/// It exists so that no input can crash, hang or exhaust the machine
/// that lints or compiles it: every limit is far above what a real plan
/// needs (a plan is a few dozen lines), and going over one is a
/// `limit-exceeded` error with a line and column, never a trap. The values
/// are documented in README.md ("Limits") and docs/reliability.md.
public enum PlanLimits {
    /// Bytes in a plan file (1 MiB).
    public static let maximumFileBytes = 1 << 20
    /// Mappings and lists inside one another.
    public static let maximumDepth = 32
    /// Nodes in a file (all its documents), each alias counting as the nodes it copies.
    public static let maximumNodes = 100_000
    /// Scalar bytes in a file, each alias counting the bytes it copies (4 MiB).
    public static let maximumExpandedBytes = 4 << 20
    /// Bytes in one scalar (key or value), 16 KiB: paths are at most 4 KiB.
    public static let maximumScalarBytes = 16 << 10
    /// Keys in one mapping.
    public static let maximumMappingKeys = 1_000
    /// Items in one list.
    public static let maximumSequenceItems = 1_000
    /// `${env.A:-${env.B:-…}}` defaults inside one another.
    public static let maximumTemplateDepth = 8
    /// `${...}` variables in one value, those in defaults included.
    public static let maximumTemplateVariables = 64
    /// Diagnostics reported for one file; the rest are counted in one more.
    public static let maximumDiagnostics = 1_000
    /// Characters of a plan value quoted in a message before it is cut.
    public static let maximumShownCharacters = 100
    /// The longest timeout a plan may set: 24 hours.
    public static let maximumDurationMilliseconds = 24 * 3_600_000

    /// The error for a file over `maximumFileBytes`, at 1:1: the same from
    /// the loader and from the command line, which stops reading at the limit.
    public static func fileTooLarge(file: String) -> Diagnostic {
        Diagnostic(
            file: file, location: SourceLocation(line: 1, column: 1), severity: .error, rule: .limitExceeded,
            message: "the file is larger than \(maximumFileBytes) bytes (1 MiB), the most a plan file may have",
            hint: "a plan is a few dozen lines; is this the right file?"
        )
    }
}
