extension PlanReader {
    static let criuFlags: [CRIUKey] = [.manageCgroups, .evasiveDevices, .leaveRunning, .tcpEstablished, .shellJob, .fileLocks]

    private static func set(_ flag: CRIUKey, to value: Bool, in settings: inout CRIUSettings) {
        switch flag {
        case .manageCgroups: settings.manageCgroups = value
        case .evasiveDevices: settings.evasiveDevices = value
        case .leaveRunning: settings.leaveRunning = value
        case .tcpEstablished: settings.tcpEstablished = value
        case .shellJob: settings.shellJob = value
        case .fileLocks: settings.fileLocks = value
        case .binary, .logLevel, .extraArgs: preconditionFailure("\(flag) is no flag")
        }
    }

    mutating func readCRIU(_ node: YAMLNode) -> CRIUSettings? {
        let path = FieldPath("criu")
        guard let fields = SectionFields.read(node, path: path, keys: CRIUKey.self, context: &context) else { return nil }
        if mode == .native {
            // `leaveRunning` applies: `docker checkpoint create --leave-running`.
            for entry in fields.mapping.entries {
                guard let index = CRIUKey.table.index(of: entry.key.value), index != CRIUKey.leaveRunning.rawValue else { continue }
                context.warning(
                    .nativeIgnoredField, at: entry.key.location,
                    "native mode ignores `criu.\(entry.key.value)`: Docker runs CRIU with its own options",
                    hint: "remove it, or use `mode: external`"
                )
            }
        }
        var settings = CRIUSettings()
        var valid = true
        if let node = fields.value(CRIUKey.binary) {
            if let read = readSettingTemplate(node, path: path.child("binary")) { settings.binary = read.template } else { valid = false }
        }
        if let node = fields.value(CRIUKey.logLevel) {
            if let level = ScalarReaders.integer(node, path: path.child("logLevel"), context: &context) {
                if (0...4).contains(level) {
                    settings.logLevel = level
                } else {
                    context.error(
                        .outOfRange, at: node.location, "`criu.logLevel` must be between 0 and 4, found \(level)",
                        hint: "4 is the most detailed, as the wiki uses with `-v4`"
                    )
                    valid = false
                }
            } else {
                valid = false
            }
        }
        for flag in Self.criuFlags {
            guard let node = fields.value(flag) else { continue }
            guard let value = ScalarReaders.bool(node, path: path.child(CRIUKey.table.names[flag.rawValue]), context: &context) else {
                valid = false
                continue
            }
            Self.set(flag, to: value, in: &settings)
            if flag == .leaveRunning, value, case .scalar(let scalar) = node { leaveRunning = scalar }
        }
        if let node = fields.value(CRIUKey.extraArgs) {
            if let arguments = readExtraArgs(node, path: path.child("extraArgs")) { settings.extraArgs = arguments } else { valid = false }
        }
        return valid ? settings : nil
    }

    private mutating func readExtraArgs(_ node: YAMLNode, path: FieldPath) -> [String]? {
        guard case .sequence(let sequence) = node else {
            context.error(
                .wrongType, at: node.location, "`\(path)` must be a list of strings, found \(ScalarReaders.describe(node))",
                hint: "write `extraArgs: [\"--tcp-close\"]`"
            )
            return nil
        }
        var arguments: [String] = []
        var valid = true
        for (index, item) in sequence.items.enumerated() {
            let itemPath = path.index(index)
            guard let scalar = ScalarReaders.string(item, path: itemPath, context: &context) else {
                valid = false
                continue
            }
            let argument = scalar.value
            switch CRIUArguments.check(argument) {
            case .accepted:
                arguments.append(argument)
                continue
            case .notLongOption(let hint):
                context.error(.invalidCRIUArgument, at: scalar.location, "`\(itemPath)` must be a long option starting with `--`, found `\(shown(argument))`", hint: hint)
            case .reserved(let option):
                context.error(
                    .reservedCRIUArgument, at: scalar.location, "`\(option)` in `\(itemPath)` is set by crplan itself",
                    hint: "remove it; `crplan plan` shows the command lines crplan builds"
                )
            case .planField(let option, let field):
                context.error(
                    .reservedCRIUArgument, at: scalar.location, "`\(option)` in `\(itemPath)` is set through the plan field `\(field)`",
                    hint: "remove it and set `\(field)` instead"
                )
            case .destructive(let option):
                context.error(
                    .destructiveCRIUArgument, at: scalar.location,
                    "`\(option)` in `\(itemPath)` punches dumped pages out of the images, so a failed restore would destroy the checkpoint",
                    hint: "remove it"
                )
            }
            valid = false
        }
        return valid ? arguments : nil
    }
}
