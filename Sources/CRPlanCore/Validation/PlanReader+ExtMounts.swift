extension PlanReader {
    /// `extMounts`: a list (possibly empty) of external bind mounts with
    /// unique mount points and unique dump paths.
    mutating func readExtMounts(_ node: YAMLNode) -> [ExternalMount]? {
        let path = FieldPath("extMounts")
        guard case .sequence(let sequence) = node else {
            context.error(
                .wrongType, at: node.location, "`extMounts` must be a list of mounts, found \(ScalarReaders.describe(node))",
                hint: "write `extMounts: []` for none, or list entries `- path: …`"
            )
            return nil
        }
        var mounts: [ExternalMount] = []
        mounts.reserveCapacity(sequence.items.count)
        // Where each normalized mount point and dump key was first listed.
        var seenPaths: [String: SourceLocation] = [:]
        seenPaths.reserveCapacity(sequence.items.count)
        var seenDumpKeys: [String: SourceLocation] = [:]
        seenDumpKeys.reserveCapacity(sequence.items.count)
        var valid = true
        for (index, item) in sequence.items.enumerated() {
            let itemPath = path.index(index)
            guard let fields = SectionFields.read(item, path: itemPath, keys: ExtMountKey.self, context: &context) else {
                valid = false
                continue
            }
            let mountPoint = fields.require(ExtMountKey.path, example: "/etc/hosts", context: &context)
                .flatMap { readContainerPath($0, path: itemPath.child("path")) }
            let dumpKey = fields.value(ExtMountKey.dump).flatMap { readContainerPath($0, path: itemPath.child("dump")) }
            let source = fields.require(ExtMountKey.restore, example: "${container.dir}/hosts", context: &context)
                .flatMap { readRestoreSource($0, path: itemPath.child("restore")) }
            if let mountPoint {
                let key = Self.normalized(mountPoint.value)
                if let first = seenPaths[key] {
                    context.error(
                        .duplicateExtMount, at: mountPoint.location, "mount point `\(shown(mountPoint.value))` is listed twice in `extMounts`",
                        hint: "it is already listed at \(first); keep one entry"
                    )
                    valid = false
                } else {
                    seenPaths[key] = mountPoint.location
                    // The dump path defaults to the path; dump paths must be unique too.
                    let dump = dumpKey ?? mountPoint
                    let dumpNormalized = Self.normalized(dump.value)
                    if let first = seenDumpKeys[dumpNormalized] {
                        context.error(
                            .duplicateExtMount, at: dump.location, "dump path `\(shown(dump.value))` is used twice in `extMounts`",
                            hint: "it is already used at \(first); CRIU needs one key per mount"
                        )
                        valid = false
                    } else {
                        seenDumpKeys[dumpNormalized] = dump.location
                    }
                }
            }
            guard let mountPoint, let source, fields.value(ExtMountKey.dump) == nil || dumpKey != nil else {
                valid = false
                continue
            }
            mounts.append(ExternalMount(path: mountPoint.value, dump: dumpKey?.value, restore: source))
        }
        return valid ? mounts : nil
    }

    /// A mount point or dump path inside the container: literal, absolute,
    /// normalised, without CRIU's separators, and not a file system CRIU
    /// handles itself.
    private mutating func readContainerPath(_ node: YAMLNode, path: FieldPath) -> YAMLScalar? {
        guard let scalar = ScalarReaders.string(node, path: path, context: &context) else { return nil }
        if let problem = CommandValueChecks.controlCharacterProblem(scalar.value, subject: "`\(path)`") {
            report(problem, in: scalar)
            return nil
        }
        guard PathChecks.checkLiteralAbsolute(scalar, path: path, context: &context),
              checkCanonical(scalar, path: path),
              checkMountSeparators(scalar, path: path) else { return nil }
        if PathPolicy.containerMountPoints.contains(scalar.value) {
            context.error(
                .unsafeExtMount, at: scalar.location,
                "`\(path)` must not be `\(scalar.value)`: CRIU dumps and restores the container's `\(scalar.value)` itself, it is no external bind mount",
                hint: "list only bind mounts and volumes; `docker inspect --format '{{json .Mounts}}' CONTAINER` shows them"
            )
            return nil
        }
        return scalar
    }

    /// The host path bound at restore: absolute, normalised, without CRIU's
    /// separators, and nothing that hands the host to the container.
    private mutating func readRestoreSource(_ node: YAMLNode, path: FieldPath) -> Template? {
        guard let scalar = ScalarReaders.string(node, path: path, context: &context),
              let read = TemplateReader.read(scalar, path: path, context: &context) else { return nil }
        let before = context.diagnostics.count
        PathChecks.checkAbsolute(read, path: path, context: &context)
        if context.noErrors(since: before), checkMountSeparators(scalar, path: path) {
            checkWritten(scalar, path: path, kind: .mountSource)
        }
        guard context.noErrors(since: before) else { return nil }
        mountSources.append(read)
        return read.template
    }

    /// `/etc/hosts/` and `//etc//hosts` name the same mount point as `/etc/hosts`.
    static func normalized(_ path: String) -> String {
        withBytes(of: path) { bytes in
            var previous: UInt8 = 0
            var isCanonical = bytes.count < 2 || bytes[bytes.count - 1] != UInt8(ascii: "/")
            for byte in bytes {
                if byte == UInt8(ascii: "/"), previous == byte { isCanonical = false }
                previous = byte
            }
            if isCanonical { return path }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            for byte in bytes where !(byte == UInt8(ascii: "/") && result.last == byte) {
                result.append(byte)
            }
            if result.count > 1, result.last == UInt8(ascii: "/") { result.removeLast() }
            return String(decoding: result, as: UTF8.self)
        }
    }
}
