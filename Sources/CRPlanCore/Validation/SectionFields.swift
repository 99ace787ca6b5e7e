/// The entries of one plan mapping, checked against the keys it may hold.
///
/// Reports unknown keys (with "did you mean"), duplicate keys and merge
/// keys once; the section readers then look values up by name. When a key
/// is repeated the last value wins, as in PyYAML and JSON.
struct SectionFields {
    let mapping: YAMLMapping
    let path: FieldPath

    /// Nil (after a `wrong-type` report) when `node` is not a mapping.
    static func read(
        _ node: YAMLNode, path: FieldPath, keys: [String], context: inout ValidationContext
    ) -> SectionFields? {
        guard case .mapping(let mapping) = node else {
            let name = path.isRoot ? "a plan" : "`\(path)`"
            let hint: String? = if case .scalar(let scalar) = node, scalar.isNull {
                path.isRoot ? nil : "add fields under `\(path)` or remove the key"
            } else {
                nil
            }
            context.error(.wrongType, at: node.location, "\(name) must be a mapping of keys to values, found \(ScalarReaders.describe(node))", hint: hint)
            return nil
        }
        let entries = mapping.entries
        for index in entries.indices {
            let key = entries[index].key
            guard keys.contains(where: { Self.same($0, key.value) }) else {
                if key.style == .plain, key.value == "<<" {
                    context.error(.unsupportedYAML, at: key.location, "merge keys (`<<`) are not supported in plans", hint: "write the keys out")
                } else {
                    let place = path.isRoot ? "at the top level" : "in `\(path)`"
                    context.error(
                        .unknownKey, at: key.location, "unknown key `\(key.value)` \(place)",
                        hint: Suggestions.hint(for: key.value, in: keys, listName: "valid keys")
                    )
                }
                continue
            }
            var earlier = index - 1
            while earlier >= 0, !Self.same(entries[earlier].key.value, key.value) { earlier -= 1 }
            if earlier >= 0 {
                context.error(
                    .duplicateKey, at: key.location, "duplicate key `\(path.child(key.value))`",
                    hint: "it is already set at \(entries[earlier].key.location); keep one of them"
                )
            }
        }
        return SectionFields(mapping: mapping, path: path)
    }

    /// String equality with the cheap length test first (the hot path
    /// compares every key of every plan).
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    /// The last entry whose key is `key`.
    func entry(_ key: String) -> YAMLMapping.Entry? {
        let entries = mapping.entries
        var index = entries.count - 1
        while index >= 0 {
            if Self.same(entries[index].key.value, key) { return entries[index] }
            index -= 1
        }
        return nil
    }

    func value(_ key: String) -> YAMLNode? {
        entry(key)?.value
    }

    func has(_ key: String) -> Bool {
        entry(key) != nil
    }

    /// Reports a missing required key at the mapping's start.
    func require(_ key: String, example: String, context: inout ValidationContext) -> YAMLNode? {
        if let value = value(key) { return value }
        let place = path.isRoot ? "" : " in `\(path)`"
        context.error(.missingField, at: mapping.location, "missing required field `\(key)`\(place)", hint: "add `\(key): \(example)`")
        return nil
    }
}
