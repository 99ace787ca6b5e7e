/// Walks a plan's root mapping section by section; each section lives in
/// its own `PlanReader+….swift` file. Values of fields that were absent or
/// invalid stay nil; `read` builds the `Plan` only when no error was found.
struct PlanReader {
    var context: ValidationContext

    /// The values read so far; the cross-field checks use them.
    var operation = Plan.Operation.roundtrip
    var mode = Plan.Mode.external
    /// `operation: restore` with `archive` (set once `operation` is read).
    var restoresArchive = false
    /// `criu.leaveRunning` when it is `true`, for the check against `operation`.
    var leaveRunning: YAMLScalar?
    /// False when only the diagnostics are wanted (`crplan lint`).
    var buildsPlan = true
    /// The environment `crplan plan` would substitute; nil when unknown.
    var environment: [String: String]?
    /// `name`, for checks that depend on it.
    var nameScalar: YAMLScalar?
    /// True when `restore.checkpoint` is set.
    var namesCheckpoint = false
    /// Compile-time values as written (by field path), for the check of
    /// their substituted values.
    var reads: [String: ReadTemplate] = [:]
    /// `extMounts[].restore` as written, in order.
    var mountSources: [ReadTemplate] = []
    /// The run stages its checkpoint in `<imageDir>/<run id>`: a migrate, or
    /// a checkpoint that keeps an `archive`.
    var stages = false

    init(context: ValidationContext) {
        self.context = context
    }

    mutating func read(_ root: YAMLNode) -> Plan? {
        guard let fields = SectionFields.read(root, path: FieldPath(""), keys: TopLevelKey.self, context: &context) else {
            return nil
        }
        let version = readVersion(fields)
        let name = readName(fields)
        let description = fields.value(TopLevelKey.description).flatMap {
            ScalarReaders.string($0, path: FieldPath("description"), context: &context)?.value
        }
        let container = readContainer(fields)
        if let node = fields.value(TopLevelKey.operation),
           let choice = ScalarReaders.choice(node, path: FieldPath("operation"), as: Plan.Operation.self, context: &context) {
            operation = choice.value
        }
        restoresArchive = operation == .restore && fields.value(TopLevelKey.archive) != nil
        var modeWritten: YAMLScalar?
        if let node = fields.value(TopLevelKey.mode),
           let choice = ScalarReaders.choice(node, path: FieldPath("mode"), as: Plan.Mode.self, context: &context) {
            mode = choice.value
            modeWritten = choice.scalar
        } else if operation == .migrate || fields.value(TopLevelKey.archive) != nil, fields.value(TopLevelKey.mode) == nil {
            // Docker must start the target (or the archive's restore) from its own checkpoint.
            mode = .native
        }
        // Sections read `mode` (and `operation`) for their own checks.
        let storage = fields.value(TopLevelKey.storage).flatMap { readStorage($0) }
        let docker = fields.value(TopLevelKey.docker).flatMap { readDocker($0) }
        let criu = fields.value(TopLevelKey.criu).flatMap { readCRIU($0) }
        let imageDir = fields.value(TopLevelKey.imageDir).flatMap { readImageDir($0) }
        let extMounts = fields.value(TopLevelKey.extMounts).flatMap { readExtMounts($0) }
        let restore = fields.value(TopLevelKey.restore).flatMap { readRestore($0) }
        let timeouts = fields.value(TopLevelKey.timeouts).flatMap { readTimeouts($0) }
        let target = fields.value(TopLevelKey.target).flatMap { readTarget($0) }
        // migrate and checkpoint keep an archive; a restore starts from one (the two-job form's second job)
        let archive = Plan.keepsArchive(operation) || operation == .restore ? fields.value(TopLevelKey.archive).flatMap { readArchive($0) } : nil
        stages = operation == .migrate || archive != nil
        checkMode(fields)
        checkMigration(fields, modeWritten: modeWritten)
        checkRestoreArchive(fields)
        if !context.hasErrors, let name {
            let resolved = checkResolvedValues(resolvableFields(), planName: name, root: root.location)
            if stages, !context.hasErrors {
                checkStagingRoot(resolved, root: root.location)
                if Plan.keepsArchive(operation), let archive, let node = fields.value(TopLevelKey.archive) {
                    checkArchivePlace(archive, at: node.location, resolved: resolved)
                }
            }
        }

        guard buildsPlan, !context.hasErrors, let version, let name, let container else { return nil }
        return Plan(
            version: version,
            name: name,
            description: description,
            container: container,
            operation: operation,
            mode: mode,
            storage: storage ?? Storage(),
            docker: docker ?? DockerSettings(),
            criu: criu ?? CRIUSettings(),
            imageDir: imageDir ?? Plan.defaultImageDir(stages: stages),
            extMounts: extMounts ?? ExternalMount.dockerManagedFiles,
            restore: restore ?? RestoreSettings(),
            timeouts: timeouts ?? Timeouts(),
            target: target,
            archive: archive.map { Template(literal: $0) }
        )
    }

    /// The compile-time values in the order `Planner` resolves them, the
    /// written ones or the defaults.
    private func resolvableFields() -> [ResolvableField] {
        func field(_ path: String, _ kind: ValueKind, default value: Template?) -> ResolvableField? {
            if let read = reads[path] { return ResolvableField(path: FieldPath(path), kind: kind, template: read.template, read: read) }
            return value.map { ResolvableField(path: FieldPath(path), kind: kind, template: $0, read: nil) }
        }
        var fields = [
            field("docker.home", .dockerHome, default: DockerSettings.defaultHome),
            field("imageDir", .writtenPath, default: Plan.defaultImageDir(stages: stages)),
            field("docker.binary", .binary("docker"), default: DockerSettings.defaultBinary),
            field("docker.host", .dockerHost, default: nil),
            field("criu.binary", .binary("criu"), default: CRIUSettings.defaultBinary),
        ].compactMap { $0 }
        for (index, read) in mountSources.enumerated() {
            fields.append(ResolvableField(path: FieldPath("extMounts").index(index).child("restore"), kind: .mountSource, template: read.template, read: read))
        }
        if let pidfile = field("restore.pidfile", .writtenPath, default: RestoreSettings.defaultPidfile) { fields.append(pidfile) }
        if operation == .migrate {
            fields += [
                field("target.docker.home", .dockerHome, default: DockerSettings.defaultHome),
                field("target.docker.binary", .binary("docker"), default: DockerSettings.defaultBinary),
                field("target.docker.host", .dockerHost, default: nil),
            ].compactMap { $0 }
        }
        return fields
    }

    /// An integer as the plan wrote it: the reader saturates values past
    /// `Int`'s range, which must not be shown as if they had been written.
    static func asWritten(_ node: YAMLNode, _ value: Int) -> String {
        if case .scalar(let scalar) = node, scalar.style == .plain { return shown(scalar.value) }
        return String(value)
    }

    // MARK: - version, name, container

    private mutating func readVersion(_ fields: SectionFields) -> Int? {
        guard let node = fields.require(TopLevelKey.version, example: "1", context: &context),
              let version = ScalarReaders.integer(node, path: FieldPath("version"), context: &context) else { return nil }
        guard version == 1 else {
            context.error(
                .unsupportedVersion, at: node.location,
                "plan version \(Self.asWritten(node, version)) is not supported; this crplan reads version 1",
                hint: "write `version: 1` and the version 1 format"
            )
            return nil
        }
        return version
    }

    private mutating func readName(_ fields: SectionFields) -> String? {
        guard let node = fields.require(TopLevelKey.name, example: "my-plan", context: &context),
              let scalar = ScalarReaders.string(node, path: FieldPath("name"), context: &context) else { return nil }
        nameScalar = scalar
        if let problem = PlanNameRule.problem(with: scalar.value) {
            let suggestion = PlanNameRule.suggestion(for: scalar.value)
            context.error(
                .invalidName, at: scalar.location, problem,
                hint: suggestion.map { "for example `name: \($0)`" } ?? "use lowercase letters, digits and `-`, e.g. `counter-roundtrip`"
            )
            return nil
        }
        return scalar.value
    }

    private mutating func readContainer(_ fields: SectionFields) -> ContainerReference? {
        guard let node = fields.require(TopLevelKey.container, example: "my-container", context: &context),
              let scalar = ScalarReaders.string(node, path: FieldPath("container"), context: &context) else { return nil }
        if let reference = ContainerReference(scalar.value) { return reference }
        if scalar.value.hasPrefix("-") {
            context.error(
                .invalidContainer, at: scalar.location,
                "`container` must not begin with `-`: docker would read `\(shown(scalar.value))` as an option",
                hint: "write the container's name or id"
            )
        } else {
            let found = scalar.value.isEmpty ? "an empty string" : "`\(shown(scalar.value))`"
            context.error(
                .invalidContainer, at: scalar.location,
                "`container` must be a container id, an id prefix of at least 4 hex digits, or a name; found \(found)",
                hint: "Docker names match `[a-zA-Z0-9][a-zA-Z0-9_.-]+`; `docker ps` lists them"
            )
        }
        return nil
    }
}

/// The rule for plan names: lowercase letters, digits and `-`, 1 to 63
/// characters, starting and ending with a letter or digit (a DNS label, so
/// names fit in paths, journal files and container labels).
public enum PlanNameRule {
    public static let maximumLength = 63

    /// Why `name` is not a valid plan name, or nil if it is.
    public static func problem(with name: String) -> String? {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty else { return "`name` must not be empty" }
        if let bad = bytes.first(where: { !isNameByte($0) }) {
            let what = switch bad {
            case 0x0A: "a line break"
            case ..<0x20: "a control character"
            case 0x80...: "non-ASCII characters"
            default: "`\(Character(Unicode.Scalar(bad)))`"
            }
            return "`name` may hold only lowercase letters, digits and `-`; `\(shown(name))` has \(what)"
        }
        guard bytes.count <= maximumLength else {
            return "`name` is \(bytes.count) characters long; the limit is \(maximumLength)"
        }
        guard bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
            return "`name` must start and end with a letter or digit, found `\(shown(name))`"
        }
        return nil
    }

    /// A valid name close to `name`, if one can be made.
    static func suggestion(for name: String) -> String? {
        var result = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII, isNameByte(UInt8(scalar.value)) {
                result.unicodeScalars.append(scalar)
            } else if !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasPrefix("-") { result.removeFirst() }
        while result.hasSuffix("-") { result.removeLast() }
        result = String(result.prefix(maximumLength))
        while result.hasSuffix("-") { result.removeLast() }
        return problem(with: result) == nil && result != name ? result : nil
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-")
    }
}
