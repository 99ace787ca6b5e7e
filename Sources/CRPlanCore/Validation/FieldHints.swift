/// Hints for the mistakes new users make that edit distance cannot catch:
/// a section's key written at the top level, Docker's names for mount
/// fields, CRIU's word for an operation, a section written as one value.
enum FieldHints {
    /// The section a top-level key belongs in, when only one section has it
    /// (`driver:` not indented under `storage:`).
    static func sectionOwning(_ key: String) -> String? {
        let owners = [
            ("storage", StorageKey.table), ("docker", DockerKey.table), ("criu", CRIUKey.table),
            ("restore", RestoreKey.table), ("timeouts", TimeoutKey.table), ("extMounts", ExtMountKey.table),
        ].filter { $0.1.index(of: key) != nil }.map { $0.0 }
        return owners.count == 1 ? owners[0] : nil
    }

    /// The hint for an unknown key, if one of the special cases applies.
    static func unknownKey(_ key: String, inRoot: Bool, inExtMount: Bool) -> String? {
        if inRoot, let section = sectionOwning(key) {
            let example = section == "extMounts" ? "- \(key): …" : "\(key): …"
            return "`\(key)` belongs in `\(section)`: indent it under `\(section):` (`\(section):` on its own line, then `  \(example)`)"
        }
        if inExtMount {
            switch key.lowercased() {
            case "source", "src":
                return "Docker's mount `\(key)` (the host path) is `restore` here: the host file or directory bound at restore"
            case "target", "destination", "dst":
                return "Docker's mount `\(key)` (the path inside the container) is `path` here"
            default:
                return nil
            }
        }
        return nil
    }

    /// Words for an enum value that are not close in spelling to the right one.
    static let synonyms: [String: [String: String]] = [
        "operation": ["dump": "checkpoint", "save": "checkpoint", "freeze": "checkpoint", "load": "restore", "both": "roundtrip"],
        "mode": ["docker": "native", "criu": "external"],
    ]

    /// "did you mean …?" for a value of the field at `path`.
    static func synonym(for value: String, at path: FieldPath) -> String? {
        synonyms[path.text]?[value.lowercased()].map { "did you mean `\($0)`?" }
    }

    /// The mapping form of a section written as a single value
    /// (`storage: overlay2`, `timeouts: 5m`).
    static func mappingForm(of section: FieldPath, value: String) -> String? {
        let shownValue = shown(value)
        switch section.text {
        case "storage":
            return "`storage` is a mapping: write `storage: {driver: \(shownValue)}`, or `driver: \(shownValue)` indented on the next line"
        case "timeouts":
            return "`timeouts` is a mapping: write `timeouts: {dump: \(shownValue), restore: \(shownValue)}`, or `dump:`/`restore:` indented on the next lines"
        default:
            return nil
        }
    }
}
