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
        case .binary, .logLevel, .extraArgs, .preDump: preconditionFailure("\(flag) is no flag")
        }
    }

    mutating func readCRIU(_ node: YAMLNode) -> CRIUSettings? {
        let path = FieldPath("criu")
        guard let fields = SectionFields.read(node, path: path, keys: CRIUKey.self, context: &context) else { return nil }
        if mode == .native {
            // `leaveRunning` applies: `docker checkpoint create --leave-running`.
            for entry in fields.mapping.entries {
                guard let index = CRIUKey.table.index(of: entry.key.value), index != CRIUKey.leaveRunning.rawValue,
                      index != CRIUKey.preDump.rawValue else { continue }
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
            if let read = readSettingTemplate(node, path: path.child("binary"), kind: .binary("criu")) { settings.binary = read.template } else { valid = false }
        }
        if let node = fields.value(CRIUKey.logLevel) {
            if let level = ScalarReaders.integer(node, path: path.child("logLevel"), context: &context) {
                if (0...4).contains(level) {
                    settings.logLevel = level
                } else {
                    context.error(
                        .outOfRange, at: node.location, "`criu.logLevel` must be between 0 and 4, found \(Self.asWritten(node, level))",
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
        if let entry = fields.entry(CRIUKey.preDump) {
            if let preDump = readPreDump(entry, path: path.child("preDump")) { settings.preDump = preDump } else { valid = false }
        }
        return valid ? settings : nil
    }

    /// `criu.preDump: {iterations: N}`: external mode only (Docker's
    /// `checkpoint create` has no pre-dump), `N` in 1...10; a restore-only
    /// plan never dumps, so it only warns there. Nil after an error.
    private mutating func readPreDump(_ entry: YAMLMapping.Entry, path: FieldPath) -> CRIUSettings.PreDump? {
        guard let fields = SectionFields.read(entry.value, path: path, keys: PreDumpKey.self, context: &context) else { return nil }
        guard let node = fields.require(PreDumpKey.iterations, example: "2", context: &context) else { return nil }
        guard let iterations = ScalarReaders.integer(node, path: path.child("iterations"), context: &context) else { return nil }
        let maximum = CRIUSettings.PreDump.maximumIterations
        guard (1...maximum).contains(iterations) else {
            context.error(
                .outOfRange, at: node.location, "`\(path).iterations` must be between 1 and \(maximum), found \(Self.asWritten(node, iterations))",
                hint: "each pre-dump copies the memory changed since the one before; one or two usually bring the final dump down to what changes while it runs"
            )
            return nil
        }
        if mode == .native {
            context.error(
                .nativePreDump, at: entry.key.location,
                "native mode cannot pre-dump: `docker checkpoint create` runs one CRIU dump and has no pre-dump or parent images",
                hint: "use `mode: external`, or remove `\(path)`"
            )
            return nil
        }
        if operation == .restore {
            warnIgnoredByOperation(entry, path: path)
        }
        return CRIUSettings.PreDump(iterations: iterations)
    }

    private mutating func readExtraArgs(_ node: YAMLNode, path: FieldPath) -> [String]? {
        guard case .sequence(let sequence) = node else {
            context.error(
                .wrongType, at: node.location, "`\(path)` must be a list of strings, found \(ScalarReaders.describe(node))",
                hint: "write `extraArgs: [\"--tcp-close\"]`"
            )
            return nil
        }
        var scalars: [(scalar: YAMLScalar, path: FieldPath)] = []
        var valid = true
        var hasControlCharacter = false
        for (index, item) in sequence.items.enumerated() {
            let itemPath = path.index(index)
            guard let scalar = ScalarReaders.string(item, path: itemPath, context: &context) else {
                valid = false
                continue
            }
            if let problem = CommandValueChecks.controlCharacterProblem(scalar.value, subject: "`\(itemPath)`") {
                report(problem, in: scalar)
                hasControlCharacter = true
            }
            scalars.append((scalar, itemPath))
        }
        // Read as CRIU will: entries that were no strings are left out. A
        // control character is reason enough to stop: the kernel cuts at NUL.
        guard !hasControlCharacter else { return nil }
        let before = context.diagnostics.count
        for finding in CRIUArguments.resolve(scalars.map(\.scalar.value)) {
            report(finding, in: scalars)
        }
        guard valid, context.noErrors(since: before) else { return nil }
        return scalars.map(\.scalar.value)
    }

    private mutating func report(_ finding: CRIUArguments.Finding, in entries: [(scalar: YAMLScalar, path: FieldPath)]) {
        let longHint = "write an option with its value as one entry, `--option=value`"
        switch finding {
        case .option(let use):
            report(use, in: entries)
        case .unknown(let index, let written):
            let (scalar, path) = entries[index]
            let names = CRIUOptionTable.options.map { "--" + $0.name }
            context.error(
                .invalidCRIUArgument, at: scalar.location, "`\(shown(written))` in `\(path)` is not an option of CRIU 4.1.1",
                hint: Suggestions.closest(to: written, in: names).map { "did you mean `\($0)`?" } ?? "`criu --help` lists the options"
            )
        case .ambiguous(let index, let written, let candidates):
            let (scalar, path) = entries[index]
            context.error(
                .ambiguousCRIUArgument, at: scalar.location,
                "`\(shown(written))` in `\(path)` is ambiguous: CRIU reads unique prefixes of its options, and this one starts \(candidates.map { "`--\($0)`" }.joined(separator: ", "))",
                hint: "write the full option name"
            )
        case .notAnOption(let index):
            let (scalar, path) = entries[index]
            context.error(.invalidCRIUArgument, at: scalar.location, "`\(path)` must be a long option starting with `--`, found `\(shown(scalar.value))`", hint: longHint)
        case .endOfOptions(let index):
            let (scalar, path) = entries[index]
            context.error(
                .invalidCRIUArgument, at: scalar.location, "`\(path)` must be a long option starting with `--`, found `--`",
                hint: "`--` alone would end CRIU's options; remove it"
            )
        case .missingValue(let index, let written, let option):
            let (scalar, path) = entries[index]
            context.error(
                .invalidCRIUArgument, at: scalar.location, "`\(shown(written))` in `\(path)` needs a value, and no entry follows it",
                hint: "write `--\(option)=VALUE`"
            )
        }
    }

    private mutating func report(_ use: CRIUArguments.Use, in entries: [(scalar: YAMLScalar, path: FieldPath)]) {
        let (scalar, path) = entries[use.index]
        let option = CRIUArguments.described(use)
        switch CRIUArguments.verdict(for: use.option) {
        case .reserved:
            context.error(
                .reservedCRIUArgument, at: scalar.location, "\(option) in `\(path)` is set by crplan itself",
                hint: "remove it; `crplan plan` shows the command lines crplan builds"
            )
            return
        case .planField(let field):
            context.error(
                .reservedCRIUArgument, at: scalar.location, "\(option) in `\(path)` is set through the plan field `\(field)`",
                hint: "remove it and set `\(field)` instead"
            )
            return
        case .destructive:
            context.error(
                .destructiveCRIUArgument, at: scalar.location,
                "\(option) in `\(path)` punches dumped pages out of the images, so a failed restore would destroy the checkpoint",
                hint: "remove it"
            )
            return
        case .unsafe(let reason):
            context.error(.unsafeCRIUArgument, at: scalar.location, "\(option) in `\(path)` cannot be used: \(reason)", hint: "remove it")
            return
        case .runsCode(let reason):
            context.warning(
                .criuArgumentRunsCode, at: scalar.location, "\(option) in `\(path)`: \(reason)",
                hint: "keep it only if you trust what it runs or loads, and who can change it"
            )
        case .accepted:
            break
        }
        if use.isShort {
            context.error(
                .invalidCRIUArgument, at: scalar.location, "`\(path)` must be a long option starting with `--`, found `\(shown(use.written))`",
                hint: "write CRIU's long name, `--\(use.option.name)`, so the dry run reads plainly"
            )
        } else if use.valueNotAllowed {
            context.error(
                .invalidCRIUArgument, at: scalar.location, "\(option) in `\(path)` takes no value, found `\(shown(scalar.value))`",
                hint: "write `--\(use.option.name)` alone"
            )
        } else if let valueIndex = use.valueIndex, let value = use.value, value.hasPrefix("-") {
            context.error(
                .invalidCRIUArgument, at: entries[valueIndex].scalar.location,
                "\(option) in `\(path)` takes the next entry, `\(shown(value))`, as its value",
                hint: "write `--\(use.option.name)=VALUE` as one entry"
            )
        }
    }
}
