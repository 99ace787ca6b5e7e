/// Reads typed values out of scalars the way the JSON Schema sees them.
///
/// The loader keeps every scalar as text; these readers decide what a value
/// means. A plain scalar that PyYAML (YAML 1.1) types differently from what
/// the field needs is `wrong-type` (the schema sees it too); a plain scalar
/// on which YAML 1.1 and 1.2 disagree is `ambiguous-scalar`.
enum ScalarReaders {
    /// A string field. Returns the scalar so callers keep its position.
    static func string(_ node: YAMLNode, path: FieldPath, context: inout ValidationContext) -> YAMLScalar? {
        guard case .scalar(let scalar) = node else {
            context.error(.wrongType, at: node.location, "`\(path)` must be a string, found \(ScalarReaders.describe(node))")
            return nil
        }
        guard scalar.style == .plain else { return scalar }
        let type = scalar.yaml11Type
        if type == .null {
            context.error(.wrongType, at: scalar.location, "`\(path)` must be a string, found null", hint: "write a value or remove the key")
            return nil
        }
        if type != .string {
            context.error(
                .wrongType, at: scalar.location,
                "`\(path)` must be a string, but YAML reads `\(scalar.value)` as \(type.phrase)",
                hint: "quote it: \(quoted(scalar.value))"
            )
            return nil
        }
        let core = scalar.yaml12Type
        if core != .string {
            context.error(
                .ambiguousScalar, at: scalar.location,
                "YAML 1.2 reads `\(scalar.value)` as \(core.phrase), YAML 1.1 as a string",
                hint: "quote it: \(quoted(scalar.value))"
            )
            return nil
        }
        return scalar
    }

    /// A boolean field: `true`/`false` in any YAML 1.2 core spelling.
    static func bool(_ node: YAMLNode, path: FieldPath, context: inout ValidationContext) -> Bool? {
        guard case .scalar(let scalar) = node else {
            context.error(.wrongType, at: node.location, "`\(path)` must be true or false, found \(ScalarReaders.describe(node))")
            return nil
        }
        if scalar.style == .plain {
            if let value = withBytes(of: scalar.value, PlainScalarResolver.coreBoolValue) { return value }
            if scalar.yaml11Type == .bool {
                let truthy = ["y", "o"].contains(scalar.value.prefix(1).lowercased()) && scalar.value.lowercased() != "off"
                context.error(
                    .ambiguousScalar, at: scalar.location,
                    "`\(scalar.value)` is a boolean only in YAML 1.1; YAML 1.2 reads it as a string",
                    hint: "write `\(path.text.split(separator: ".").last ?? ""): \(truthy)`"
                )
                return nil
            }
        }
        var hint: String?
        if scalar.style == .quoted, ["true", "false"].contains(scalar.value.lowercased()) {
            hint = "remove the quotes"
        }
        context.error(.wrongType, at: scalar.location, "`\(path)` must be true or false, found \(describe(scalar))", hint: hint)
        return nil
    }

    /// An integer field: plain decimal. Other spellings PyYAML reads as a
    /// whole number (`0x4`, `010`, `4.0`, `1_0`) are `ambiguous-scalar`,
    /// and their value is still returned for range checks.
    static func integer(_ node: YAMLNode, path: FieldPath, context: inout ValidationContext) -> Int? {
        guard case .scalar(let scalar) = node else {
            context.error(.wrongType, at: node.location, "`\(path)` must be an integer, found \(ScalarReaders.describe(node))")
            return nil
        }
        if scalar.style == .plain {
            if let value = withBytes(of: scalar.value, IntegerSpelling.decimal) { return value }
            if let value = withBytes(of: scalar.value, IntegerSpelling.yaml11WholeNumber) {
                context.error(
                    .ambiguousScalar, at: scalar.location,
                    "`\(path)` must be written in plain decimal, found `\(scalar.value)`",
                    hint: value == Int.max || value == Int.min ? nil : "write `\(value)`"
                )
                return value
            }
        }
        var hint: String?
        if scalar.style == .quoted, withBytes(of: scalar.value, IntegerSpelling.decimal) != nil {
            hint = "remove the quotes"
        }
        context.error(.wrongType, at: scalar.location, "`\(path)` must be an integer, found \(describe(scalar))", hint: hint)
        return nil
    }

    /// A string field with a fixed set of values.
    static func choice<Value: RawRepresentable & CaseIterable>(
        _ node: YAMLNode, path: FieldPath, as type: Value.Type, context: inout ValidationContext
    ) -> (value: Value, scalar: YAMLScalar)? where Value.RawValue == String {
        guard let scalar = string(node, path: path, context: &context) else { return nil }
        if let value = Value(rawValue: scalar.value) { return (value, scalar) }
        let names = Value.allCases.map(\.rawValue)
        context.error(
            .invalidEnum, at: scalar.location,
            "`\(path)` must be one of \(names.joined(separator: ", ")); found `\(scalar.value)`",
            hint: Suggestions.closest(to: scalar.value, in: names).map { "did you mean `\($0)`?" }
        )
        return nil
    }

    /// "the string `x`", "an integer `5`", "null", "a list" for "found …" messages.
    static func describe(_ node: YAMLNode) -> String {
        if case .scalar(let scalar) = node { return describe(scalar) }
        return node.kindDescription
    }

    static func describe(_ scalar: YAMLScalar) -> String {
        switch scalar.style {
        case .quoted: "the string \(quoted(scalar.value))"
        case .block: "a block string"
        case .plain:
            switch scalar.yaml11Type {
            case .null: "null"
            case .string: "the string `\(scalar.value)`"
            case let type: "\(type.phrase) `\(scalar.value)`"
            }
        }
    }

    /// `"value"` in double quotes, or single quotes if it holds a `"`.
    static func quoted(_ value: String) -> String {
        value.contains("\"") ? "`'\(value)'`" : "`\"\(value)\"`"
    }
}
