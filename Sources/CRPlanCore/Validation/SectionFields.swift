/// The entries of one plan mapping, checked against the keys it may hold.
///
/// Reports unknown keys (with "did you mean"), duplicate keys and merge
/// keys once; the section readers then look values up by key. When a key
/// is repeated the last value wins, as in PyYAML and JSON. Look-ups must
/// use the key type the fields were read with.
struct SectionFields {
    let mapping: YAMLMapping
    let path: FieldPath
    /// For each key (by raw value), the index of its last entry, or -1.
    private var slots = SIMD16<Int8>(repeating: -1)

    private init(mapping: YAMLMapping, path: FieldPath) {
        self.mapping = mapping
        self.path = path
    }

    /// Nil (after a `wrong-type` report) when `node` is not a mapping.
    static func read<Key: SectionKey>(
        _ node: YAMLNode, path: FieldPath, keys: Key.Type, context: inout ValidationContext
    ) -> SectionFields? {
        guard case .mapping(let mapping) = node else {
            let name = path.isRoot ? "a plan" : "`\(path)`"
            let hint: String? = if case .scalar(let scalar) = node {
                scalar.isNull
                    ? (path.isRoot ? nil : "add fields under `\(path)` or remove the key")
                    : FieldHints.mappingForm(of: path, value: scalar.value)
            } else {
                nil
            }
            context.error(.wrongType, at: node.location, "\(name) must be a mapping of keys to values, found \(ScalarReaders.describe(node))", hint: hint)
            return nil
        }
        var fields = SectionFields(mapping: mapping, path: path)
        let table = Key.table
        let entries = mapping.entries
        for index in entries.indices {
            let key = entries[index].key
            guard let slot = table.index(of: key.value) else {
                if key.style == .plain, key.value == "<<" {
                    context.error(.unsupportedYAML, at: key.location, "merge keys (`<<`) are not supported in plans", hint: "write the keys out")
                } else {
                    let place = path.isRoot ? "at the top level" : "in `\(path)`"
                    context.error(
                        .unknownKey, at: key.location, "unknown key `\(shown(key.value))` \(place)",
                        hint: FieldHints.unknownKey(key.value, inRoot: path.isRoot, inExtMount: Key.self == ExtMountKey.self)
                            ?? Suggestions.hint(for: key.value, in: table.names, listName: "valid keys")
                    )
                }
                continue
            }
            let earlier = Int(fields.slots[slot])
            if earlier >= 0 {
                context.error(
                    .duplicateKey, at: key.location, "duplicate key `\(path.child(key.value))`",
                    hint: "it is already set at \(entries[earlier].key.location); keep one of them"
                )
            }
            // Entries past 127 are not tracked (no plan section has that many keys).
            if index < Int(Int8.max) { fields.slots[slot] = Int8(index) }
        }
        return fields
    }

    /// The last entry for `key`.
    func entry<Key: SectionKey>(_ key: Key) -> YAMLMapping.Entry? {
        let index = Int(slots[key.rawValue])
        return index >= 0 ? mapping.entries[index] : nil
    }

    func value<Key: SectionKey>(_ key: Key) -> YAMLNode? {
        let index = Int(slots[key.rawValue])
        return index >= 0 ? mapping.entries[index].value : nil
    }

    /// Reports a missing required key at the mapping's start.
    func require<Key: SectionKey>(_ key: Key, example: String, context: inout ValidationContext) -> YAMLNode? {
        if let value = value(key) { return value }
        let name = Key.table.names[key.rawValue]
        let place = path.isRoot ? "" : " in `\(path)`"
        context.error(.missingField, at: mapping.location, "missing required field `\(name)`\(place)", hint: "add `\(name): \(example)`")
        return nil
    }
}
