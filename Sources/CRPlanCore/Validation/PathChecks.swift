/// Checks on values that name host or container paths.
enum PathChecks {
    /// Variables whose value is always an absolute path.
    static func isAbsoluteVariable(_ variable: Variable) -> Bool {
        switch variable {
        case .dockerHome, .imageDir, .containerDir, .containerRootfs: true
        default: false
        }
    }

    /// A template path must start with `/` or with an absolute variable;
    /// one that starts with `${env.X}` cannot be judged and is accepted.
    static func checkAbsolute(_ read: ReadTemplate, path: FieldPath, context: inout ValidationContext) {
        let isAbsolute: Bool
        switch read.template.segments.first {
        case .text(let text)?: isAbsolute = text.utf8.first == UInt8(ascii: "/")
        case .variable(let variable)?:
            if case .environment = variable { isAbsolute = true } else { isAbsolute = isAbsoluteVariable(variable) }
        case nil: isAbsolute = false
        }
        if !isAbsolute {
            reportRelative(read.scalar, path: path, context: &context, hint: "start it with `/` or with `${docker.home}`, `${imageDir}`, `${container.dir}`")
        }
        checkParentSegments(read.scalar, path: path, context: &context)
    }

    /// A plain path (no variables): absolute and without `..`.
    /// `isHostPath`: the value names a file on the host (migrate's `archive`), not in the container.
    static func checkLiteralAbsolute(_ scalar: YAMLScalar, path: FieldPath, isHostPath: Bool = false, context: inout ValidationContext) -> Bool {
        if let offset = withBytes(of: scalar.value, { firstVariableOffset($0) }) {
            context.error(
                .variableNotAllowed, at: TemplateReader.location(of: offset, in: scalar),
                "`\(path)` is \(isHostPath ? "a host path crplan writes as root" : "a path inside the container") and cannot use `${...}` variables",
                hint: "write the path literally"
            )
            return false
        }
        var valid = true
        if scalar.value.utf8.first != UInt8(ascii: "/") {
            reportRelative(scalar, path: path, context: &context, hint: isHostPath ? "write it from the host's root, e.g. `/var/lib/crplan/archives/counter.tar.zst`" : "write it from the container's root, e.g. `/etc/hosts`")
            valid = false
        }
        if !checkParentSegments(scalar, path: path, context: &context) { valid = false }
        return valid
    }

    private static func reportRelative(_ scalar: YAMLScalar, path: FieldPath, context: inout ValidationContext, hint: String) {
        let found = scalar.value.isEmpty ? "an empty string" : "`\(shown(scalar.value))`"
        context.error(.relativePath, at: scalar.location, "`\(path)` must be an absolute path, found \(found)", hint: hint)
    }

    /// Reports the first `..` segment; false if there was one.
    @discardableResult
    static func checkParentSegments(_ scalar: YAMLScalar, path: FieldPath, context: inout ValidationContext) -> Bool {
        guard let offset = withBytes(of: scalar.value, { parentSegmentOffset($0) }) else { return true }
        context.error(
            .parentSegment, at: TemplateReader.location(of: offset, in: scalar),
            "`\(path)` must not contain a `..` segment",
            hint: "write the path without `..`: crplan does not resolve it and mounts need canonical paths"
        )
        return false
    }

    /// Byte offset of the first `..` path segment.
    static func parentSegmentOffset(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        var start = 0
        var index = 0
        while index <= s.count {
            if index == s.count || s[index] == UInt8(ascii: "/") {
                if index - start == 2, s[start] == UInt8(ascii: "."), s[start + 1] == UInt8(ascii: ".") { return start }
                start = index + 1
            }
            index += 1
        }
        return nil
    }

    static func firstVariableOffset(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        guard s.count >= 2 else { return nil }
        for index in 0..<(s.count - 1) where s[index] == UInt8(ascii: "$") && s[index + 1] == UInt8(ascii: "{") {
            return index
        }
        return nil
    }

    /// Reports each variable `allowed` rejects; true if none was rejected.
    @discardableResult
    static func checkVariables(
        _ read: ReadTemplate, path: FieldPath, context: inout ValidationContext,
        allowed: (Variable) -> Bool, reason: String, hint: String
    ) -> Bool {
        var valid = true
        for (variable, offset) in read.variables where !allowed(variable) {
            valid = false
            context.error(.variableNotAllowed, at: TemplateReader.location(of: offset, in: read.scalar), "`${\(variable.name)}` cannot be used in `\(path)`: \(reason)", hint: hint)
        }
        return valid
    }
}

extension Variable {
    /// The name as written, without an `env` default.
    var name: String {
        if case .environment(let name, _) = self { return "env.\(name)" }
        return description
    }

    var isEnvironment: Bool {
        if case .environment = self { return true }
        return false
    }
}
