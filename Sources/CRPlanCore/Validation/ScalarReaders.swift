/// Reads typed values out of scalars the way the plan format (and the JSON
/// Schema's reference loader) types them: by the YAML 1.2 core schema.
///
/// The loader keeps every scalar as text; these readers decide what a value
/// means. A plain scalar that YAML 1.2 types differently from what the field
/// needs is `wrong-type`. A plain scalar that YAML 1.1 tools (PyYAML's
/// default loader, older editors) would read differently, such as `yes`,
/// `2024-01-01` or `010`, draws an `ambiguous-scalar` warning.
enum ScalarReaders {
    /// A string field. Returns the scalar so callers keep its position.
    /// `numberHint` replaces the "quote it" hint for a plain integer.
    static func string(
        _ node: YAMLNode, path: FieldPath, context: inout ValidationContext, numberHint: String? = nil
    ) -> YAMLScalar? {
        guard case .scalar(let scalar) = node else {
            context.error(.wrongType, at: node.location, "`\(path)` must be a string, found \(describe(node))")
            return nil
        }
        guard scalar.style == .plain else { return scalar }
        let type = scalar.yaml12Type
        if type == .null {
            context.error(.wrongType, at: scalar.location, "`\(path)` must be a string, found null", hint: "write a value or remove the key")
            return nil
        }
        if type != .string {
            let hint = (type == .int ? numberHint : nil) ?? "quote it: \(quoted(scalar.value))"
            context.error(
                .wrongType, at: scalar.location,
                "`\(path)` must be a string, but YAML reads `\(shown(scalar.value))` as \(type.phrase)", hint: hint
            )
            return nil
        }
        let legacy = scalar.yaml11Type
        if legacy != .string, legacy != .merge, legacy != .value {
            context.warning(
                .ambiguousScalar, at: scalar.location,
                "YAML 1.1 tools read `\(shown(scalar.value))` as \(legacy.phrase), not as the string `\(path)` needs",
                hint: "quote it: \(quoted(scalar.value))"
            )
        }
        return scalar
    }

    /// A boolean field: `true`/`false` in any YAML 1.2 core spelling.
    static func bool(_ node: YAMLNode, path: FieldPath, context: inout ValidationContext) -> Bool? {
        guard case .scalar(let scalar) = node else {
            context.error(.wrongType, at: node.location, "`\(path)` must be true or false, found \(describe(node))")
            return nil
        }
        if scalar.style == .plain, let value = withBytes(of: scalar.value, PlainScalarResolver.coreBoolValue) {
            return value
        }
        var hint: String?
        if scalar.style == .quoted, ["true", "false"].contains(scalar.value.lowercased()) {
            hint = "remove the quotes"
        } else if scalar.style == .plain, scalar.yaml11Type == .bool {
            let truthy = ["y", "o"].contains(scalar.value.prefix(1).lowercased()) && scalar.value.lowercased() != "off"
            hint = "`\(shown(scalar.value))` is a boolean only in YAML 1.1; write `\(truthy)`"
        } else if scalar.style == .plain, ["y", "n"].contains(scalar.value.lowercased()) {
            // YAML 1.1's spec lists y/n as booleans; PyYAML and most tools do not.
            hint = "`\(scalar.value)` is a boolean only in YAML 1.1's spec, and tools disagree on it; write `\(scalar.value.lowercased() == "y")`"
        }
        context.error(.wrongType, at: scalar.location, "`\(path)` must be true or false, found \(describe(scalar))", hint: hint)
        return nil
    }

    /// An integer field. Any YAML 1.2 integer is accepted (`4`, `04`,
    /// `0x4`, `0o4`); spellings other than plain decimal draw an
    /// `ambiguous-scalar` warning, since YAML 1.1 reads some of them differently.
    static func integer(_ node: YAMLNode, path: FieldPath, context: inout ValidationContext) -> Int? {
        guard case .scalar(let scalar) = node else {
            context.error(.wrongType, at: node.location, "`\(path)` must be an integer, found \(describe(node))")
            return nil
        }
        if scalar.style == .plain {
            if let value = withBytes(of: scalar.value, IntegerSpelling.decimal) { return value }
            if let value = withBytes(of: scalar.value, IntegerSpelling.yaml12Int) {
                context.warning(
                    .ambiguousScalar, at: scalar.location,
                    "write `\(path)` in plain decimal, not `\(shown(scalar.value))`: YAML 1.1 and 1.2 disagree on some integer spellings",
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
            "`\(path)` must be one of \(names.joined(separator: ", ")); found `\(shown(scalar.value))`",
            hint: Suggestions.closest(to: scalar.value, in: names).map { "did you mean `\($0)`?" }
                ?? FieldHints.synonym(for: scalar.value, at: path)
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
            switch scalar.yaml12Type {
            case .null: "null"
            case .string: "the string `\(shown(scalar.value))`"
            case let type: "\(type.phrase) `\(shown(scalar.value))`"
            }
        }
    }

    /// `"value"` in double quotes, or single quotes if it holds a `"`.
    static func quoted(_ value: String) -> String {
        value.contains("\"") ? "`'\(shown(value))'`" : "`\"\(shown(value))\"`"
    }
}
