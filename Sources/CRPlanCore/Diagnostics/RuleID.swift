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
    /// A warning: a field the plan's operation never uses (`restore` or
    /// `timeouts.restore` in a checkpoint-only plan, `timeouts.dump` in a
    /// restore-only one).
    case operationIgnoredField = "operation-ignored-field"
    /// A warning: a plain scalar that YAML 1.1 tools read differently from
    /// YAML 1.2 (`yes`, `2024-01-01`, `1:30`), or an integer not written in
    /// plain decimal (`010`, `0x4`).
    case ambiguousScalar = "ambiguous-scalar"
    /// `restore.checkpoint` is not a valid Docker checkpoint name.
    case invalidCheckpointName = "invalid-checkpoint-name"
    /// A `criu.extraArgs` entry abbreviates more than one CRIU option
    /// (CRIU accepts unique prefixes of long options, as getopt_long does).
    case ambiguousCRIUArgument = "ambiguous-criu-arg"
    /// A CRIU option that defeats crplan's checks or the run itself
    /// (`--config`, `--exec-cmd`, `--help`, `--version`).
    case unsafeCRIUArgument = "unsafe-criu-arg"
    /// A warning: a CRIU option that makes CRIU, running as root, run a
    /// program or load a library (`--action-script`, `--libdir`).
    case criuArgumentRunsCode = "criu-arg-runs-code"
    /// A NUL, line break or other control character in a value that
    /// becomes a command argument or a path.
    case controlCharacter = "control-character"
    /// A path with `//`, a `.` segment or a trailing `/`.
    case nonCanonicalPath = "non-canonical-path"
    /// A path crplan writes (`imageDir`, `restore.pidfile`), or
    /// `docker.home`, in or at a system directory.
    case systemPath = "system-path"
    /// An `extMounts` entry that would mount `/`, `/proc`, `/sys`, `/dev`,
    /// a secret or the Docker socket, or whose value CRIU cannot parse.
    case unsafeExtMount = "unsafe-ext-mount"
    /// A value that would begin with `-`, so a command reads it as an option.
    case optionLikeValue = "option-like-value"
    /// A warning: `docker.binary` or `criu.binary` names a program that is
    /// not called like docker or criu.
    case unusualBinary = "unusual-binary"
    /// `docker.host` is not a `unix://`, `tcp://`, `ssh://` or `fd://` address.
    case invalidDockerHost = "invalid-docker-host"
    /// `${env.NAME}` without a default, and NAME is not set where lint runs.
    case unsetEnvironment = "unset-environment"
    /// The file goes over one of `PlanLimits` (size, nesting, aliases,
    /// scalar length, keys, list items, template nesting).
    case limitExceeded = "limit-exceeded"
    /// `operation: migrate` with `mode: external`: Docker cannot start the
    /// target container from a dump it did not make.
    case migrateExternal = "migrate-external"
    /// `archive` with `mode: external` (checkpoint, restore): the archive's
    /// restore starts the container with `docker start --checkpoint`, which
    /// needs Docker's own checkpoint.
    case archiveExternal = "archive-external"
    /// `target` in a plan whose operation is not `migrate`.
    case targetWithoutMigrate = "target-without-migrate"
    /// A `target.ssh` value ssh cannot be given safely: a destination that is
    /// no `user@host`, a port out of range, a relative or unusual path.
    case invalidSSH = "invalid-ssh"
    /// A `target.ssh.options` key that is not on crplan's allow-list (it runs
    /// a command, forwards, or weakens host-key checking or cryptography).
    case unsafeSSHOption = "unsafe-ssh-option"
    /// A field this crplan parses but cannot run yet (`archive` with restore or roundtrip).
    case notSupportedYet = "not-supported-yet"
    /// `criu.preDump` in a native-mode plan: Docker has no pre-dump.
    case nativePreDump = "native-pre-dump"
    /// A field that `operation: restore` with `archive` cannot honour
    /// (`extMounts`, `restore.pidfile`, `${container.*}` in `imageDir`).
    case restoreArchiveField = "restore-archive-field"
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
