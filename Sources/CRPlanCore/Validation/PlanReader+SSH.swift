extension PlanReader {
    /// `target.ssh`: the machine of the target engine, reached over ssh.
    /// Every value may use `${env.NAME}`; a literal is checked where it is
    /// written, a substituted one through `SSHSettings.resolvedTarget` (the
    /// planner's own check) with lint's environment.
    mutating func readSSH(_ node: YAMLNode, path: FieldPath) -> SSHSettings? {
        guard let fields = SectionFields.read(node, path: path, keys: SSHKey.self, context: &context) else { return nil }
        var valid = true
        var destination: Template?
        if let destinationNode = fields.require(SSHKey.destination, example: "root@host.example", context: &context) {
            destination = readSSHValue(destinationNode, path: path.child("destination")) { value throws(SSHTargetError) in
                try SSHTarget.validateDestination(value)
            }
        }
        valid = valid && destination != nil
        var port: Template?
        if let portNode = fields.value(SSHKey.port) {
            port = readSSHPort(portNode, path: path.child("port"))
            valid = valid && port != nil
        }
        var files: [SSHKey: Template] = [:]
        for (key, field) in [(SSHKey.identityFile, "identityFile"), (.knownHostsFile, "knownHostsFile"), (.controlDirectory, "controlDirectory")] {
            guard let fileNode = fields.value(key) else { continue }
            let read = readSSHValue(fileNode, path: path.child(field), isPath: true) { value throws(SSHTargetError) in
                if key == .controlDirectory {
                    try SSHMultiplexing.validateDirectory(value)
                } else {
                    try SSHTarget.validatePath(value, field: field)
                }
            }
            if let read { files[key] = read } else { valid = false }
        }
        var options: [SSHOption] = []
        if let optionsNode = fields.value(SSHKey.options) {
            if let read = readSSHOptions(optionsNode, path: path.child("options")) { options = read } else { valid = false }
        }
        guard valid, let destination else { return nil }
        let settings = SSHSettings(
            destination: destination, port: port, identityFile: files[.identityFile], knownHostsFile: files[.knownHostsFile],
            controlDirectory: files[.controlDirectory], options: options
        )
        let templated = [settings.destination, settings.port, settings.identityFile, settings.knownHostsFile, settings.controlDirectory]
            .contains { $0?.isLiteral == false }
        if templated {
            do {
                _ = try settings.resolvedTarget(CompileTimeSubstitution(environment: environment ?? [:], planName: nameScalar?.value ?? ""))
            } catch .unsetEnvironment(let name, let field) {
                if environment != nil {
                    context.error(
                        .unsetEnvironment, at: node.location, "`\(field)` uses `${env.\(name)}`, which is not set and has no default",
                        hint: "export \(name) where crplan runs, or give a default as `${env.\(name):-VALUE}`"
                    )
                    return nil
                }
            } catch .invalidSSH(let problem) {
                context.error(
                    .invalidSSH, at: node.location, "`\(path)` after substituting variables: \(problem)",
                    hint: "check the environment variables `\(path)` uses"
                )
                return nil
            } catch {
                context.error(.invalidSSH, at: node.location, error.description, hint: "check the environment variables `\(path)` uses")
                return nil
            }
        }
        return settings
    }

    /// A string that may use `${env.*}`; a literal must pass `check`.
    /// `isPath`: a file or folder; a non-normalised one (`//`, `.` or `..`,
    /// a trailing `/`) is reported at the spot.
    private mutating func readSSHValue(
        _ node: YAMLNode, path: FieldPath, isPath: Bool = false, check: (String) throws(SSHTargetError) -> Void
    ) -> Template? {
        guard let scalar = ScalarReaders.string(node, path: path, context: &context) else { return nil }
        if let problem = CommandValueChecks.controlCharacterProblem(scalar.value, subject: "`\(path)`") {
            report(problem, in: scalar)
            return nil
        }
        if isPath, scalar.value.hasPrefix("/") {
            guard PathChecks.checkParentSegments(scalar, path: path, context: &context), checkCanonical(scalar, path: path) else { return nil }
        }
        guard let read = TemplateReader.read(scalar, path: path, context: &context) else { return nil }
        let allowed = PathChecks.checkVariables(
            read, path: path, context: &context, allowed: { $0.isEnvironment },
            reason: "it is needed before any container is known", hint: "only `${env.NAME}` and `${env.NAME:-default}` can be used here"
        )
        guard allowed else { return nil }
        if let literal = read.template.literalValue {
            do {
                try check(literal)
            } catch {
                context.error(.invalidSSH, at: scalar.location, error.description, hint: Self.sshHint(for: error))
                return nil
            }
        }
        return read.template
    }

    /// `port`: a number 1-65535, or a string with `${env.*}` that becomes one.
    private mutating func readSSHPort(_ node: YAMLNode, path: FieldPath) -> Template? {
        if case .scalar(let scalar) = node, scalar.style == .plain, scalar.yaml12Type == .int {
            guard let number = ScalarReaders.integer(node, path: path, context: &context) else { return nil }
            guard (1...65_535).contains(number) else {
                context.error(.outOfRange, at: scalar.location, "`\(path)` must be 1-65535; found \(number)", hint: "ssh's default is 22")
                return nil
            }
            return Template(literal: String(number))
        }
        return readSSHValue(node, path: path) { value throws(SSHTargetError) in
            guard value.utf8.count <= 5, let number = Int(value), value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .invalidPortText(RemoteShellQuoting.display(value))
            }
            guard (1...65_535).contains(number) else { throw .invalidPort(number) }
        }
    }

    /// `options`: a mapping of ssh option names to values, each key on
    /// `SSHOption.allowedKeys`; any other key is refused with its reason.
    private mutating func readSSHOptions(_ node: YAMLNode, path: FieldPath) -> [SSHOption]? {
        guard case .mapping(let mapping) = node else {
            context.error(
                .wrongType, at: node.location, "`\(path)` must be a mapping of ssh options, found \(ScalarReaders.describe(node))",
                hint: "write `options: {ConnectTimeout: 10, ServerAliveInterval: 5}`"
            )
            return nil
        }
        var options: [SSHOption] = []
        var valid = true
        if mapping.entries.count > SSHTarget.maximumOptions {
            context.error(
                .outOfRange, at: mapping.location, "\(mapping.entries.count) ssh options given; at most \(SSHTarget.maximumOptions) are accepted",
                hint: "keep the options you need"
            )
            return nil
        }
        for entry in mapping.entries {
            let key = entry.key.value
            if let reason = SSHOption.refusalReason(forKey: key) {
                context.error(
                    .unsafeSSHOption, at: entry.key.location, "ssh option `\(shown(key))` is refused: \(reason)",
                    hint: "allowed: " + SSHOption.allowedKeys.joined(separator: ", ")
                )
                valid = false
                continue
            }
            guard case .scalar(let scalar) = entry.value, !scalar.isNull else {
                context.error(.wrongType, at: entry.value.location, "`\(path.child(key))` must be a value such as `10` or `yes`")
                valid = false
                continue
            }
            do throws(SSHTargetError) {
                let option = try SSHOption(key: key, value: scalar.value)
                if options.contains(where: { $0.key == option.key }) { throw .duplicateOption(option.key) }
                options.append(option)
            } catch {
                context.error(.invalidSSH, at: scalar.location, error.description, hint: Self.sshHint(for: error))
                valid = false
            }
        }
        return valid ? options : nil
    }

    static func sshHint(for error: SSHTargetError) -> String? {
        switch error {
        case .invalidDestination: "write it as user@host, e.g. `root@host.example`"
        case .invalidPort, .invalidPortText: "ssh's default is 22"
        case .invalidPath: "give an absolute path of letters, digits and / . _ - + @ , = :"
        case .controlDirectoryTooLong: "ssh puts its control socket there, and a socket path is limited to 107 bytes"
        case .controlDirectoryShared: "use a folder only root can write, e.g. `/run/crplan/ssh` (the default)"
        case .optionValueNotInGrammar: "see ssh_config(5) for the option's values"
        default: nil
        }
    }
}
