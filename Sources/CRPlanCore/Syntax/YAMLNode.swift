/// One node of a parsed YAML document with the source position of its start.
///
/// The loader keeps scalars untyped (every scalar is text plus its style);
/// the plan validator decides what a scalar means, so that `version: "1"`
/// and `version: 1` can be told apart and reported precisely.
public enum YAMLNode: Sendable, Equatable {
    case scalar(YAMLScalar)
    case mapping(YAMLMapping)
    case sequence(YAMLSequence)

    public var location: SourceLocation {
        switch self {
        case .scalar(let scalar): scalar.location
        case .mapping(let mapping): mapping.location
        case .sequence(let sequence): sequence.location
        }
    }

    /// A short name of the node's shape, for "expected X, found Y" messages.
    public var kindDescription: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "null" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}

/// A scalar as written: its text, whether it was quoted, and where it starts.
public struct YAMLScalar: Sendable, Equatable {
    public enum Style: Sendable, Equatable {
        case plain
        case quoted
        case block
    }

    public var value: String
    public var style: Style
    public var location: SourceLocation

    public init(value: String, style: Style, location: SourceLocation) {
        self.value = value
        self.style = style
        self.location = location
    }

    /// A plain empty scalar or `~`/`null` (YAML 1.2 core schema).
    public var isNull: Bool {
        guard style == .plain else { return false }
        switch value {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }
}

/// A mapping in document order; keys keep their own positions so that
/// "unknown key" diagnostics point at the key, not at the value.
public struct YAMLMapping: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: YAMLScalar
        public var value: YAMLNode

        public init(key: YAMLScalar, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public var entries: [Entry]
    public var location: SourceLocation

    public init(entries: [Entry], location: SourceLocation) {
        self.entries = entries
        self.location = location
    }

    /// The first entry whose key is `name`.
    public func entry(_ name: String) -> Entry? {
        entries.first { $0.key.value == name }
    }
}

/// A sequence of nodes and the position of its start.
public struct YAMLSequence: Sendable, Equatable {
    public var items: [YAMLNode]
    public var location: SourceLocation

    public init(items: [YAMLNode], location: SourceLocation) {
        self.items = items
        self.location = location
    }
}
