/// The stable identifiers of lint rules, printed in brackets after each
/// message and used by CI annotations; renaming one is a breaking change.
public enum RuleID: String, Sendable, Codable, Hashable, CaseIterable {
    /// The file could not be read (I/O).
    case io = "io-error"
    /// LibYAML rejected the text.
    case yamlSyntax = "yaml-syntax"
    /// The file holds no document.
    case emptyDocument = "empty-document"
    /// The file holds more than one document.
    case multipleDocuments = "multiple-documents"
    /// Aliases/anchors, tags or complex keys that a plan has no use for.
    case unsupportedYAML = "unsupported-yaml"
    case duplicateKey = "duplicate-key"
    case unknownKey = "unknown-key"
    case wrongType = "wrong-type"
    case missingField = "missing-field"
    case invalidEnum = "invalid-enum"
    case unsupportedVersion = "unsupported-version"
    case invalidName = "invalid-name"
    case invalidContainer = "invalid-container"
    case relativePath = "relative-path"
    case parentSegment = "parent-segment"
    case unknownVariable = "unknown-variable"
    case malformedTemplate = "malformed-template"
    case variableNotAllowed = "variable-not-allowed"
    case duplicateExtMount = "duplicate-ext-mount"
    case reservedCRIUArgument = "reserved-criu-arg"
    case invalidCRIUArgument = "invalid-criu-arg"
    case destructiveCRIUArgument = "destructive-criu-arg"
    case unsupportedStorageDriver = "unsupported-storage-driver"
    case restoreLeaveRunning = "restore-leave-running"
    case invalidDuration = "invalid-duration"
    case outOfRange = "out-of-range"
    case nativeImageDir = "native-image-dir"
    case nativeIgnoredField = "native-ignored-field"
    /// A native-mode-only field (`restore.checkpoint`) in an external-mode plan.
    case externalIgnoredField = "external-ignored-field"
    /// A warning: a plain scalar that YAML 1.1 tools read differently from
    /// YAML 1.2 (`yes`, `2024-01-01`, `1:30`), or an integer not written in
    /// plain decimal (`010`, `0x4`).
    case ambiguousScalar = "ambiguous-scalar"
    /// `restore.checkpoint` is not a valid Docker checkpoint name.
    case invalidCheckpointName = "invalid-checkpoint-name"
    /// The file goes over one of `PlanLimits` (size, nesting, aliases,
    /// scalar length, keys, list items, template nesting).
    case limitExceeded = "limit-exceeded"
}

extension RuleID {
    /// Rules about the plan's shape that the JSON Schema in `Schemas/` can
    /// express too; the schema-agreement test holds crplan and the schema to
    /// the same verdict on these. The other rules are semantic (variables,
    /// paths, CRIU options) and only crplan checks them.
    public var isStructural: Bool {
        switch self {
        case .emptyDocument, .unknownKey, .wrongType, .missingField, .invalidEnum,
             .unsupportedVersion, .invalidName, .invalidContainer, .outOfRange,
             .unsupportedStorageDriver:
            true
        default:
            false
        }
    }
}
