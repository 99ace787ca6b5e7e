/// What a YAML resolver makes of an untagged plain scalar.
///
/// Plans are read with every scalar as text; the validator asks how YAML
/// 1.2's core schema and YAML 1.1 (PyYAML, which the JSON Schema test and
/// most editors' tooling use) would type a plain scalar, so that a value
/// like `name: 2024-01-01` or `logLevel: 0x4` is reported the way the
/// schema sees it.
public enum ImplicitScalarType: Sendable, Equatable {
    case string
    case null
    case bool
    case int
    case float
    case timestamp
    /// PyYAML's merge key `<<`.
    case merge
    /// PyYAML's `=` value key.
    case value

    /// "a string", "an integer", … for messages.
    public var phrase: String {
        switch self {
        case .string: "a string"
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .float: "a number"
        case .timestamp: "a date"
        case .merge: "a merge key"
        case .value: "a value key"
        }
    }
}

extension YAMLScalar {
    /// How PyYAML's SafeLoader (YAML 1.1) types this scalar.
    public var yaml11Type: ImplicitScalarType {
        guard style == .plain else { return .string }
        return withBytes(of: value) { PlainScalarResolver.yaml11Type($0) }
    }

    /// How the YAML 1.2 core schema types this scalar.
    public var yaml12Type: ImplicitScalarType {
        guard style == .plain else { return .string }
        return withBytes(of: value) { PlainScalarResolver.yaml12Type($0) }
    }
}

/// Runs `body` on the UTF-8 bytes of `text` without copying when possible.
@inline(__always)
func withBytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    return Array(text.utf8).withUnsafeBufferPointer(body)
}

/// Byte-level versions of the YAML 1.1 (PyYAML) and 1.2 core implicit
/// resolvers, without regular expressions (they run on every plain scalar).
enum PlainScalarResolver {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    static func yaml11Type(_ s: Bytes) -> ImplicitScalarType {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "~"):
            return s.count == 1 ? .null : .string
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if isNullWord(s) { return .null }
            return isWord(s, "no", "No", "NO") ? .bool : .string
        case UInt8(ascii: "y"), UInt8(ascii: "Y"):
            return isWord(s, "yes", "Yes", "YES") ? .bool : .string
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            return isCoreBool(s) ? .bool : .string
        case UInt8(ascii: "o"), UInt8(ascii: "O"):
            return isWord(s, "on", "On", "ON") || isWord(s, "off", "Off", "OFF") ? .bool : .string
        case UInt8(ascii: "<"):
            return s.count == 2 && s[1] == UInt8(ascii: "<") ? .merge : .string
        case UInt8(ascii: "="):
            return s.count == 1 ? .value : .string
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isYAML11Int(s) { return .int }
            if isYAML11Float(s) { return .float }
            if isYAML11Timestamp(s) { return .timestamp }
            return .string
        default:
            return .string
        }
    }

    static func yaml12Type(_ s: Bytes) -> ImplicitScalarType {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "~"):
            return s.count == 1 ? .null : .string
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            return isNullWord(s) ? .null : .string
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            return isCoreBool(s) ? .bool : .string
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isYAML12Int(s) { return .int }
            if isYAML12Float(s) { return .float }
            return .string
        default:
            return .string
        }
    }

    // MARK: - Words

    static func isNullWord(_ s: Bytes) -> Bool { isWord(s, "null", "Null", "NULL") }

    /// `true|True|TRUE|false|False|FALSE`: the booleans both YAML versions share.
    static func isCoreBool(_ s: Bytes) -> Bool { coreBoolValue(s) != nil }

    static func coreBoolValue(_ s: Bytes) -> Bool? {
        if isWord(s, "true", "True", "TRUE") { return true }
        if isWord(s, "false", "False", "FALSE") { return false }
        return nil
    }

    static func isWord(_ s: Bytes, _ a: StaticString, _ b: StaticString, _ c: StaticString) -> Bool {
        equals(s, a) || equals(s, b) || equals(s, c)
    }

    static func equals(_ s: Bytes, _ word: StaticString) -> Bool {
        guard s.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for index in 0..<s.count where s[index] != w[index] { return false }
        return true
    }

    // MARK: - Character classes

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isOctal(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x37 }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }
    static let underscore = UInt8(ascii: "_")

    /// Index after an optional sign.
    @inline(__always) static func afterSign(_ s: Bytes) -> Int {
        if let first = s.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { return 1 }
        return 0
    }

    /// Consumes `class` bytes from `i`; returns how many.
    @inline(__always) static func run(_ s: Bytes, _ i: inout Int, _ matches: (UInt8) -> Bool) -> Int {
        let start = i
        while i < s.count, matches(s[i]) { i += 1 }
        return i - start
    }

    /// `(:[0-5]?[0-9])+` from `i`; true if at least one group matched.
    static func sexagesimalGroups(_ s: Bytes, _ i: inout Int) -> Bool {
        var groups = 0
        while i < s.count, s[i] == UInt8(ascii: ":") {
            var j = i + 1
            guard j < s.count, isDigit(s[j]) else { break }
            if j + 1 < s.count, isDigit(s[j + 1]) {
                guard s[j] <= UInt8(ascii: "5") else { break }
                j += 2
            } else {
                j += 1
            }
            i = j
            groups += 1
        }
        return groups > 0
    }

    // MARK: - YAML 1.1 (PyYAML)

    static func isYAML11Int(_ s: Bytes) -> Bool {
        var i = afterSign(s)
        guard i < s.count, isDigit(s[i]) else { return false }
        if s[i] == UInt8(ascii: "0") {
            i += 1
            if i == s.count { return true }
            switch s[i] {
            case UInt8(ascii: "b"):
                i += 1
                return run(s, &i) { $0 == 0x30 || $0 == 0x31 || $0 == underscore } > 0 && i == s.count
            case UInt8(ascii: "x"):
                i += 1
                return run(s, &i) { isHex($0) || $0 == underscore } > 0 && i == s.count
            default:
                return run(s, &i) { isOctal($0) || $0 == underscore } > 0 && i == s.count
            }
        }
        _ = run(s, &i) { isDigit($0) || $0 == underscore }
        if i == s.count { return true }
        return sexagesimalGroups(s, &i) && i == s.count
    }

    static func isYAML11Float(_ s: Bytes) -> Bool {
        var i = 0
        if s.first == UInt8(ascii: ".") {
            // \.[0-9][0-9_]*([eE][-+][0-9]+)? | \.(nan|NaN|NAN) | \.(inf|Inf|INF)
            let rest = Bytes(rebasing: s[1...])
            if isWord(rest, "nan", "NaN", "NAN") || isWord(rest, "inf", "Inf", "INF") { return true }
            i = 1
            guard i < s.count, isDigit(s[i]) else { return false }
            _ = run(s, &i) { isDigit($0) || $0 == underscore }
            return yaml11Exponent(s, &i) && i == s.count
        }
        i = afterSign(s)
        if i < s.count, s[i] == UInt8(ascii: ".") {
            return isWord(Bytes(rebasing: s[(i + 1)...]), "inf", "Inf", "INF")
        }
        guard i < s.count, isDigit(s[i]) else { return false }
        _ = run(s, &i) { isDigit($0) || $0 == underscore }
        _ = sexagesimalGroups(s, &i)
        guard i < s.count, s[i] == UInt8(ascii: ".") else { return false }
        i += 1
        _ = run(s, &i) { isDigit($0) || $0 == underscore }
        if i == s.count { return true }
        // An exponent is allowed only without sexagesimal groups; PyYAML's
        // third alternative has none, and the first has no colons.
        if s[..<i].contains(UInt8(ascii: ":")) { return false }
        return yaml11Exponent(s, &i) && i == s.count
    }

    /// `([eE][-+][0-9]+)?` (PyYAML requires the sign).
    static func yaml11Exponent(_ s: Bytes, _ i: inout Int) -> Bool {
        guard i < s.count else { return true }
        guard s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") else { return false }
        var j = i + 1
        guard j < s.count, s[j] == UInt8(ascii: "-") || s[j] == UInt8(ascii: "+") else { return false }
        j += 1
        guard run(s, &j, isDigit) > 0 else { return false }
        i = j
        return true
    }

    static func isYAML11Timestamp(_ s: Bytes) -> Bool {
        var i = 0
        guard run(s, &i, isDigit) == 4, i < s.count, s[i] == UInt8(ascii: "-") else { return false }
        i += 1
        let month = run(s, &i, isDigit)
        guard month == 1 || month == 2, i < s.count, s[i] == UInt8(ascii: "-") else { return false }
        i += 1
        let day = run(s, &i, isDigit)
        guard day == 1 || day == 2 else { return false }
        if i == s.count { return month == 2 && day == 2 }
        // Time part: ([Tt]|[ \t]+)H?H:MM:SS(\.[0-9]*)?([ \t]*(Z|[-+]H?H(:MM)?))?
        if s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") {
            i += 1
        } else if run(s, &i, { $0 == 0x20 || $0 == 0x09 }) == 0 {
            return false
        }
        let hour = run(s, &i, isDigit)
        guard hour == 1 || hour == 2 else { return false }
        for _ in 0..<2 {
            guard i < s.count, s[i] == UInt8(ascii: ":") else { return false }
            i += 1
            guard run(s, &i, isDigit) == 2 else { return false }
        }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            _ = run(s, &i, isDigit)
        }
        _ = run(s, &i, { $0 == 0x20 || $0 == 0x09 })
        if i == s.count { return true }
        if s[i] == UInt8(ascii: "Z") { return i + 1 == s.count }
        guard s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") else { return false }
        i += 1
        let zoneHour = run(s, &i, isDigit)
        guard zoneHour == 1 || zoneHour == 2 else { return false }
        if i == s.count { return true }
        guard s[i] == UInt8(ascii: ":") else { return false }
        i += 1
        return run(s, &i, isDigit) == 2 && i == s.count
    }

    // MARK: - YAML 1.2 core

    static func isYAML12Int(_ s: Bytes) -> Bool {
        if s.count > 2, s[0] == UInt8(ascii: "0") {
            var i = 2
            if s[1] == UInt8(ascii: "o") { return run(s, &i, isOctal) > 0 && i == s.count }
            if s[1] == UInt8(ascii: "x") { return run(s, &i, isHex) > 0 && i == s.count }
        }
        var i = afterSign(s)
        return run(s, &i, isDigit) > 0 && i == s.count
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.(inf|Inf|INF)`, `\.(nan|NaN|NAN)`.
    static func isYAML12Float(_ s: Bytes) -> Bool {
        if s.first == UInt8(ascii: "."), isWord(Bytes(rebasing: s[1...]), "nan", "NaN", "NAN") { return true }
        var i = afterSign(s)
        if i < s.count, s[i] == UInt8(ascii: "."), isWord(Bytes(rebasing: s[(i + 1)...]), "inf", "Inf", "INF") {
            return true
        }
        let integerDigits = run(s, &i, isDigit)
        var fractionDigits = 0
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            fractionDigits = run(s, &i, isDigit)
        } else if integerDigits == 0 {
            return false
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return false }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
            guard run(s, &i, isDigit) > 0 else { return false }
        }
        return i == s.count
    }
}
