extension PlanReader {
    mutating func readStorage(_ node: YAMLNode) -> Storage? {
        let path = FieldPath("storage")
        guard let fields = SectionFields.read(node, path: path, keys: StorageKey.self, context: &context) else { return nil }
        guard let driverNode = fields.value(StorageKey.driver) else { return Storage() }
        let driverPath = path.child("driver")
        guard let scalar = ScalarReaders.string(driverNode, path: driverPath, context: &context) else { return nil }
        if let driver = Storage.Driver(rawValue: scalar.value) { return Storage(driver: driver) }
        if Storage.unsupportedDrivers.contains(scalar.value) {
            context.error(
                .unsupportedStorageDriver, at: scalar.location,
                "storage driver `\(shown(scalar.value))` is not supported: CRIU's external checkpoint/restore works only with aufs, overlay/overlay2 and vfs",
                hint: "use `mode: native` to let Docker checkpoint this container, or move it to a supported driver"
            )
            return nil
        }
        let names = Storage.Driver.allCases.map(\.rawValue)
        context.error(
            .invalidEnum, at: scalar.location,
            "`\(driverPath)` must be one of \(names.joined(separator: ", ")); found `\(shown(scalar.value))`",
            hint: Suggestions.closest(to: scalar.value, in: names).map { "did you mean `\($0)`?" }
                ?? "`auto` takes the driver from `docker inspect`"
        )
        return nil
    }

    /// `docker`, or `target.docker` (the same keys, another engine).
    mutating func readDocker(_ node: YAMLNode, path: FieldPath = FieldPath("docker")) -> DockerSettings? {
        guard let fields = SectionFields.read(node, path: path, keys: DockerKey.self, context: &context) else { return nil }
        var settings = DockerSettings()
        var valid = true
        if let node = fields.value(DockerKey.binary) {
            if let read = readSettingTemplate(node, path: path.child("binary"), kind: .binary("docker")) {
                settings.binary = read.template
            } else {
                valid = false
            }
        }
        if let node = fields.value(DockerKey.home) {
            if let read = readSettingTemplate(node, path: path.child("home"), kind: .dockerHome) {
                settings.home = read.template
            } else {
                valid = false
            }
        }
        if let node = fields.value(DockerKey.host) {
            if let read = readSettingTemplate(node, path: path.child("host"), kind: .dockerHost) {
                settings.host = read.template
            } else {
                valid = false
            }
        }
        return valid ? settings : nil
    }

    /// A Docker or CRIU setting: resolved before any container is known,
    /// so only `${env.*}` variables make sense in it.
    mutating func readSettingTemplate(_ node: YAMLNode, path: FieldPath, kind: ValueKind) -> ReadTemplate? {
        guard let scalar = ScalarReaders.string(node, path: path, context: &context) else { return nil }
        if scalar.value.isEmpty {
            context.error(.wrongType, at: scalar.location, "`\(path)` must not be empty", hint: "remove the key to use the default")
            return nil
        }
        guard let read = TemplateReader.read(scalar, path: path, context: &context) else { return nil }
        let valid = PathChecks.checkVariables(
            read, path: path, context: &context,
            allowed: { $0.isEnvironment },
            reason: "it is resolved before the container and the plan's paths are known",
            hint: "only `${env.NAME}` and `${env.NAME:-default}` can be used here"
        )
        guard valid else { return nil }
        let before = context.diagnostics.count
        if case .dockerHome = kind { PathChecks.checkAbsolute(read, path: path, context: &context) }
        checkWritten(scalar, path: path, kind: kind)
        guard context.noErrors(since: before) else { return nil }
        reads[path.text] = read
        return read
    }
}
