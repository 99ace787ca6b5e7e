extension PlanReader {
    mutating func readRestore(_ node: YAMLNode) -> RestoreSettings? {
        let path = FieldPath("restore")
        guard let fields = SectionFields.read(node, path: path, keys: RestoreKey.self, context: &context) else { return nil }
        if operation == .checkpoint {
            // `restore.checkpoint` names the checkpoint native mode creates;
            // external mode's own warning covers it there.
            warnIgnoredByOperation(fields.entry(RestoreKey.pidfile), path: path.child("pidfile"))
            warnIgnoredByOperation(fields.entry(RestoreKey.detach), path: path.child("detach"))
        }
        var settings = RestoreSettings()
        var valid = true
        if let node = fields.value(RestoreKey.pidfile) {
            let pidPath = path.child("pidfile")
            if let scalar = ScalarReaders.string(node, path: pidPath, context: &context),
               let read = TemplateReader.read(scalar, path: pidPath, context: &context) {
                let before = context.diagnostics.count
                PathChecks.checkAbsolute(read, path: pidPath, context: &context)
                checkWritten(scalar, path: pidPath, kind: .writtenPath)
                if context.noErrors(since: before) { reads[pidPath.text] = read }
                settings.pidfile = read.template
            } else {
                valid = false
            }
        }
        if let node = fields.value(RestoreKey.detach) {
            if let detach = ScalarReaders.bool(node, path: path.child("detach"), context: &context) {
                settings.detach = detach
            } else {
                valid = false
            }
        }
        if let node = fields.value(RestoreKey.checkpoint) {
            namesCheckpoint = true
            if let entry = fields.entry(RestoreKey.checkpoint), mode == .external {
                context.warning(
                    .externalIgnoredField, at: entry.key.location,
                    "external mode ignores `restore.checkpoint`: it names a Docker checkpoint, which only native mode uses",
                    hint: "remove it, or use `mode: native`"
                )
            }
            if let scalar = ScalarReaders.string(node, path: path.child("checkpoint"), context: &context),
               checkCheckpointName(scalar) {
                settings.checkpoint = scalar.value
            } else {
                valid = false
            }
        }
        return valid ? settings : nil
    }

    /// A field the plan's operation never reads: a warning, as native mode
    /// warns for the fields it ignores.
    mutating func warnIgnoredByOperation(_ entry: YAMLMapping.Entry?, path: FieldPath) {
        guard let entry else { return }
        let (what, other) = operation == .checkpoint
            ? ("a checkpoint-only plan never restores", "restore")
            : ("a restore-only plan never dumps", "checkpoint")
        context.warning(
            .operationIgnoredField, at: entry.key.location,
            "`operation: \(operation.rawValue)` ignores `\(path)`: \(what)",
            hint: "remove it, or set it in the plan that does the \(other) (`operation: \(other)` or `roundtrip`)"
        )
    }

    /// Docker's checkpoint name pattern `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
    private mutating func checkCheckpointName(_ scalar: YAMLScalar) -> Bool {
        if ContainerReference.isDockerName(Array(scalar.value.utf8)) { return true }
        context.error(
            .invalidCheckpointName, at: scalar.location,
            "`restore.checkpoint` must be a Docker checkpoint name matching `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, found `\(shown(scalar.value))`",
            hint: "`docker checkpoint ls CONTAINER` lists the names"
        )
        return false
    }

    mutating func readTimeouts(_ node: YAMLNode) -> Timeouts? {
        let path = FieldPath("timeouts")
        guard let fields = SectionFields.read(node, path: path, keys: TimeoutKey.self, context: &context) else { return nil }
        switch operation {
        case .checkpoint: warnIgnoredByOperation(fields.entry(TimeoutKey.restore), path: path.child("restore"))
        case .restore: warnIgnoredByOperation(fields.entry(TimeoutKey.dump), path: path.child("dump"))
        case .roundtrip, .migrate: break
        }
        var timeouts = Timeouts()
        var valid = true
        if let node = fields.value(TimeoutKey.dump) {
            timeouts.dump = readDuration(node, path: path.child("dump"))
            valid = valid && timeouts.dump != nil
        }
        if let node = fields.value(TimeoutKey.restore) {
            timeouts.restore = readDuration(node, path: path.child("restore"))
            valid = valid && timeouts.restore != nil
        }
        return valid ? timeouts : nil
    }

    private mutating func readDuration(_ node: YAMLNode, path: FieldPath) -> PlanDuration? {
        let unitHint: String? = if case .scalar(let scalar) = node { "add a unit, e.g. `\(shown(scalar.value))s`" } else { nil }
        guard let scalar = ScalarReaders.string(node, path: path, context: &context, numberHint: unitHint) else { return nil }
        switch PlanDuration.parse(scalar.value) {
        case .success(let duration):
            return duration
        case .failure(.tooLong):
            context.error(
                .invalidDuration, at: scalar.location,
                "`\(path)` is `\(shown(scalar.value))`, longer than the limit of \(PlanDuration(milliseconds: PlanLimits.maximumDurationMilliseconds))",
                hint: "a timeout is at most 24h; most dumps take seconds to minutes"
            )
            return nil
        case .failure(.malformed):
            break
        }
        context.error(
            .invalidDuration, at: scalar.location, "`\(path)` must be a positive duration like `90s`, `5m` or `1h30m`; found `\(shown(scalar.value))`",
            hint: "units are `ms`, `s`, `m` and `h`, with no spaces"
        )
        return nil
    }
}
