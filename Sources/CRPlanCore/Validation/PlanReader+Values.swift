/// What a plan value is used for, which decides the checks it gets.
enum ValueKind {
    /// A path crplan writes: `imageDir`, `restore.pidfile`.
    case writtenPath
    case dockerHome
    /// A host path bound into the container: `extMounts[].restore`.
    case mountSource
    /// `docker.binary` / `criu.binary`, with the program's expected name.
    case binary(String)
    case dockerHost
}

/// A field whose value the planner resolves at compile time; lint resolves
/// it the same way (`CompileTimeSubstitution`) and checks the result.
struct ResolvableField {
    var path: FieldPath
    var kind: ValueKind
    var template: Template
    /// Nil for a default value (reported at the plan's start).
    var read: ReadTemplate?
}

extension PlanReader {
    // MARK: - The value as written

    /// The checks on a value as written; false if one failed.
    @discardableResult
    mutating func checkWritten(_ scalar: YAMLScalar, path: FieldPath, kind: ValueKind) -> Bool {
        let value = scalar.value
        if let problem = CommandValueChecks.controlCharacterProblem(value, subject: "`\(path)`") {
            report(problem, in: scalar)
            return false
        }
        let literalStart = String(value.prefix { $0 != "$" })
        let complete = !value.contains("${")
        switch kind {
        case .writtenPath, .dockerHome, .mountSource:
            guard value.hasPrefix("/") else { return true }
            if !checkCanonical(scalar, path: path) { return false }
            return Self.checkPolicy(literalStart, complete: complete, subject: "`\(path)`", path: path, kind: kind) { rule, message, hint in
                context.error(rule, at: scalar.location, message, hint: hint)
            }
        case .binary(let expected):
            guard complete else { return true }
            let problems = CommandValueChecks.binaryProblems(value, subject: "`\(path)`", expected: expected)
            for problem in problems { report(problem, in: scalar) }
            return !problems.contains { $0.rule != .unusualBinary }
        case .dockerHost:
            guard complete || value.hasPrefix("-") else { return true }
            let problems = CommandValueChecks.hostProblems(value, subject: "`\(path)`")
            for problem in problems { report(problem, in: scalar) }
            return problems.isEmpty
        }
    }

    /// `//`, `.` segments and a trailing `/`; `..` is `parent-segment`.
    mutating func checkCanonical(_ scalar: YAMLScalar, path: FieldPath) -> Bool {
        guard let found = PathPolicy.nonCanonicalOffset(scalar.value, isStart: true, isEnd: true) else { return true }
        context.error(
            .nonCanonicalPath, at: TemplateReader.location(of: found.offset, in: scalar),
            "`\(path)` must be a normalised path, but `\(shown(scalar.value))` has \(found.what)",
            hint: "write it as `\(shown(PathPolicy.canonical(scalar.value)))`"
        )
        return false
    }

    /// Where a path must not point; reports through `report`.
    /// `subject` names the value in messages: "`imageDir`", or "it" after
    /// "… becomes `/etc/x` after substituting variables".
    static func checkPolicy(
        _ literal: String, complete: Bool, subject: String, path: FieldPath, kind: ValueKind,
        report: (RuleID, String, String) -> Void
    ) -> Bool {
        switch kind {
        case .writtenPath:
            guard let problem = PathPolicy.writtenPathProblem(literal, complete: complete) else { return true }
            let example = path.text == "imageDir" ? "/var/lib/crplan/images/${container.id}" : "/run/crplan/${plan.name}.pid"
            report(
                .systemPath, "\(subject) is a path crplan writes as root, and `\(shown(literal))` is \(problem.description)",
                "choose a place of its own, e.g. `\(example)`"
            )
            return false
        case .dockerHome:
            guard let problem = PathPolicy.dockerHomeProblem(literal, complete: complete) else { return true }
            report(
                .systemPath, "\(subject) must be Docker's data root, and `\(shown(literal))` is \(problem.description)",
                "`docker info --format '{{.DockerRootDir}}'` prints it; usually `/var/lib/docker`"
            )
            return false
        case .mountSource:
            guard let reason = PathPolicy.mountSourceProblem(literal, complete: complete) else { return true }
            report(
                .unsafeExtMount, "\(subject) must not be `\(shown(literal))`: \(reason)",
                "bind only the files or directories the container had mounted, e.g. `${container.dir}/hosts`"
            )
            return false
        case .binary, .dockerHost:
            return true
        }
    }

    mutating func report(_ problem: CommandValueChecks.Problem, in scalar: YAMLScalar) {
        let location = TemplateReader.location(of: problem.offset, in: scalar)
        if problem.rule == .unusualBinary {
            context.warning(problem.rule, at: location, problem.message, hint: problem.hint)
        } else {
            context.error(problem.rule, at: location, problem.message, hint: problem.hint)
        }
    }

    /// `:` and `,` in an `extMounts` path: CRIU splits `KEY:VALUE` at the
    /// first `:` and mount options at `,`.
    mutating func checkMountSeparators(_ scalar: YAMLScalar, path: FieldPath) -> Bool {
        var offset = 0
        for byte in scalar.value.utf8 {
            if byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") {
                // `${env.X:-default}` is a template, not a separator.
                let before = scalar.value.utf8.prefix(offset)
                let opens = before.count { $0 == UInt8(ascii: "{") }
                let closes = before.count { $0 == UInt8(ascii: "}") }
                if opens == closes {
                    context.error(
                        .unsafeExtMount, at: TemplateReader.location(of: offset, in: scalar),
                        "`\(path)` must not contain `\(Character(Unicode.Scalar(byte)))`: crplan passes it to CRIU as `--ext-mount-map KEY:VALUE`, which CRIU splits at `:`, and mount options at `,`",
                        hint: "mount the file or directory from a path without `:` and `,`"
                    )
                    return false
                }
            }
            offset += 1
        }
        return true
    }

    // MARK: - The value after compile-time substitution

    /// Resolves every compile-time value the way `Planner` does, in the same
    /// order and with the lint's environment, and checks what comes out:
    /// an unset `${env.NAME}`, a default or an environment value that makes
    /// a path relative, non-canonical or a system path, a binary or host that
    /// reads as an option. Without an environment (`nil`), variables count
    /// as unset and only their defaults are checked.
    /// Returns each field's resolved value (by its path) that passed.
    @discardableResult
    mutating func checkResolvedValues(_ fields: [ResolvableField], planName: String, root: SourceLocation) -> [String: Template] {
        var values = CompileTimeSubstitution(environment: environment ?? [:], planName: planName)
        var passed: [String: Template] = [:]
        for field in fields {
            let runtimeAllowed: Bool
            switch field.kind {
            case .writtenPath, .mountSource: runtimeAllowed = true
            case .dockerHome, .binary, .dockerHost: runtimeAllowed = false
            }
            let resolved: Template
            do {
                resolved = try values.resolve(field.template, field: field.path.text, runtimeAllowed: runtimeAllowed)
            } catch {
                // Values that use this one cannot be resolved: they are skipped.
                reportResolution(error, field: field, root: root)
                continue
            }
            let valid = checkResolved(resolved, field: field, root: root)
            if valid { passed[field.path.text] = resolved }
            switch field.path.text {
            case "docker.home" where valid: values.dockerHome = resolved
            case "imageDir" where valid: values.imageDir = resolved
            default: break
            }
        }
        return passed
    }

    /// Migrate: `imageDir` holds the run's staging dirs, which are tarred
    /// and, over ssh, unpacked as root on the target at the same path; it
    /// must not be in or below the source's or the target's Docker data root.
    /// Judged on the resolved values (the literal start of `imageDir`); the
    /// run checks the bound staging dir again (`freshStagingDir`).
    mutating func checkStagingRoot(_ resolved: [String: Template], root: SourceLocation) {
        guard let imageDir = resolved["imageDir"] else { return }
        let homes = ["docker.home", "target.docker.home"].compactMap { resolved[$0]?.literalValue }
        let literal = String(imageDir.description.prefix { $0 != "$" })
        guard let problem = PathPolicy.stagingProblem(literal, complete: imageDir.isLiteral, dockerHomes: homes) else { return }
        let read = reads["imageDir"]
        let name = read == nil ? "`imageDir` (by default `\(imageDir)`)" : "`imageDir`"
        context.error(
            .systemPath, at: read?.scalar.location ?? root,
            "\(name) holds a migration's staging dirs, which are sent and unpacked as root, and `\(shown(imageDir.description))` is \(problem)",
            hint: "give it a folder of its own outside the Docker data roots, e.g. `/var/lib/crplan/staging`"
        )
    }

    /// Migrate: `archive` is written by crplan as root, so it gets the
    /// same rules as `imageDir`: no system folder, no `.ssh`, nothing in or
    /// below the source's or the target's Docker data root.
    mutating func checkArchivePlace(_ archive: String, at location: SourceLocation, resolved: [String: Template]) {
        let homes = ["docker.home", "target.docker.home"].compactMap { resolved[$0]?.literalValue }
        if let open = PathPolicy.worldWritableParent(of: archive) {
            context.error(
                .systemPath, at: location,
                "`archive` is written by crplan as root, and `\(shown(archive))` is straight in `\(open)`, which every user can "
                    + "write: crplan refuses to write there (at write-archive, after the checkpoint), since anyone could plant a link at its name",
                hint: "write it to a folder only root can change, e.g. `/var/lib/crplan/archives/counter.tar.zst`"
            )
            return
        }
        guard let problem = PathPolicy.stagingProblem(archive, complete: true, dockerHomes: homes) else { return }
        context.error(
            .systemPath, at: location,
            "`archive` is written by crplan as root, and `\(shown(archive))` is \(problem)",
            hint: "write it to a folder of its own, e.g. `/var/lib/crplan/archives/counter.tar.zst`"
        )
    }

    private mutating func reportResolution(_ error: PlanningError, field: ResolvableField, root: SourceLocation) {
        let (location, name) = describe(field, root: root)
        switch error {
        case .unsetEnvironment(let variable, _):
            // Without an environment, unset is the assumption, not a problem.
            guard environment != nil else { return }
            let offset = field.read?.variables.first {
                if case .environment(variable, nil) = $0.variable { true } else { false }
            }?.offset
            context.error(
                .unsetEnvironment,
                at: offset.flatMap { offset in field.read.map { TemplateReader.location(of: offset, in: $0.scalar) } } ?? location,
                "\(name) uses `${env.\(shown(variable))}`, which is not set and has no default",
                hint: "export \(shown(variable)) where crplan runs, or give a default as `${env.\(shown(variable)):-VALUE}`"
            )
        case .environmentValueHasVariable(let variable, _):
            context.error(
                .malformedTemplate, at: location, "\(name) uses `${env.\(shown(variable))}`, whose value holds `${`",
                hint: "crplan does not expand variables inside environment values; export the final value"
            )
        case .runtimeValueNotAllowed(let variable, _):
            context.error(
                .variableNotAllowed, at: location, "\(name) uses `${\(variable)}`, known only after inspecting the container",
                hint: "use a literal, `${env.NAME}` or `${plan.name}`"
            )
        default:
            // A value this one depends on failed and was reported.
            break
        }
    }

    /// The checks of the written value, on the value the planner will use.
    private mutating func checkResolved(_ resolved: Template, field: ResolvableField, root: SourceLocation) -> Bool {
        let value = resolved.description
        // Unchanged by substitution: the checks of the written value cover it.
        if let read = field.read, read.template == resolved { return true }
        let (location, name) = describe(field, root: root)
        let becomes = "\(name) becomes `\(shown(value))` after substituting variables"
        var valid = true
        func fail(_ rule: RuleID, _ problem: String, _ hint: String, severity: Severity = .error) {
            if severity == .error {
                valid = false
                context.error(rule, at: location, "\(becomes): \(problem)", hint: hint)
            } else {
                context.warning(rule, at: location, "\(becomes): \(problem)", hint: hint)
            }
        }
        if CommandValueChecks.controlCharacterOffset(value) != nil {
            fail(.controlCharacter, "it holds a control character", "check the environment variables it uses")
            return false
        }
        switch field.kind {
        case .writtenPath, .dockerHome, .mountSource:
            do {
                try CompileTimeSubstitution.checkPath(resolved, field: field.path.text)
            } catch .parentSegment {
                fail(.parentSegment, "it has a `..` segment", "give a path without `..`")
                return false
            } catch {
                fail(.relativePath, "it must be an absolute path", "check the environment variables and defaults it uses")
                return false
            }
            if let found = PathPolicy.nonCanonicalOffset(value, isStart: true, isEnd: true) {
                fail(.nonCanonicalPath, "it has \(found.what)", "check the environment variables it uses for a trailing or doubled `/`")
                return false
            }
            if case .mountSource = field.kind, value.contains(":") || value.contains(",") {
                fail(.unsafeExtMount, "CRIU would split it at `:` or `,`", "use a path without `:` and `,`")
                return false
            }
            let literal = String(value.prefix { $0 != "$" })
            let passed = Self.checkPolicy(literal, complete: resolved.isLiteral, subject: "it", path: field.path, kind: field.kind) { rule, message, hint in
                fail(rule, message, hint)
            }
            return passed && valid
        case .binary(let expected):
            if value.isEmpty {
                fail(.wrongType, "it is empty", "check the environment variables it uses")
                return false
            }
            for problem in CommandValueChecks.binaryProblems(value, subject: "it", expected: expected) {
                fail(problem.rule, problem.message, problem.hint, severity: problem.rule == .unusualBinary ? .warning : .error)
            }
            return valid
        case .dockerHost:
            if value.isEmpty {
                fail(.wrongType, "it is empty", "check the environment variables it uses")
                return false
            }
            for problem in CommandValueChecks.hostProblems(value, subject: "it") {
                fail(problem.rule, problem.message, problem.hint)
            }
            return valid
        }
    }

    /// Where to report a resolved value, and how to name it.
    private func describe(_ field: ResolvableField, root: SourceLocation) -> (SourceLocation, String) {
        if let read = field.read { return (read.scalar.location, "`\(field.path)`") }
        return (root, "`\(field.path)` (by default `\(field.template)`)")
    }
}
