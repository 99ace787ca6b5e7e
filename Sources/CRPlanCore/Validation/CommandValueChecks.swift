/// Checks on plan values that end up as command arguments: crplan runs
/// them as root, so a value must not smuggle in a control character, read
/// as an option, or name an unexpected program or address.
///
/// Each check returns a problem instead of reporting it, so the linter can
/// apply it both to the value as written and, when the environment is
/// known, to the value after `${env.*}` substitution.
enum CommandValueChecks {
    /// A problem found in a value: the rule, the message's tail, a hint,
    /// and the byte offset in the value it points at.
    struct Problem {
        var rule: RuleID
        var message: String
        var hint: String
        var offset = 0
    }

    /// The byte offset of the first character no plan value may hold: a NUL,
    /// line break, tab or other control character (C0, DEL, C1), and the
    /// non-ASCII ones that hide or disguise text: format characters (bidi
    /// overrides such as U+202E, zero-width ones, U+FEFF), spaces other than
    /// U+0020 (U+00A0, U+2007, …), line and paragraph separators, private-use,
    /// unassigned and other default-ignorable code points. The one character
    /// rule of every value that becomes a path or an argument (every path
    /// field goes through it, as written and after substitution).
    static func controlCharacterOffset(_ value: String) -> Int? {
        firstRefusedCharacter(value)?.offset
    }

    /// The first refused character and its byte offset.
    static func firstRefusedCharacter(_ value: String) -> (offset: Int, scalar: Unicode.Scalar)? {
        var offset = 0
        for scalar in value.unicodeScalars {
            if isRefusedCharacter(scalar) { return (offset, scalar) }
            offset += scalar.utf8.count
        }
        return nil
    }

    /// See `controlCharacterOffset`.
    static func isRefusedCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x20 || scalar.value == 0x7F { return true }
        if scalar.isASCII { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            return true
        default:
            return scalar.properties.isBidiControl || scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    static func controlCharacterProblem(_ value: String, subject: String) -> Problem? {
        guard let (offset, scalar) = firstRefusedCharacter(value) else { return nil }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let what = switch scalar.value {
        case 0: "a NUL byte, which the kernel would cut the argument at"
        case 0x0A, 0x0D: "a line break"
        case 0x09: "a tab"
        case ..<0x20, 0x7F: "the control character \\u{\(String(scalar.value, radix: 16))}"
        default: "the invisible or layout character \(code)" + (scalar.properties.name.map { " (\($0))" } ?? "")
            + ", which makes the value read other than it is"
        }
        return Problem(
            rule: .controlCharacter, message: "\(subject) holds \(what)",
            hint: "remove it; values become command arguments and paths", offset: offset
        )
    }

    /// `docker.binary`, `criu.binary`: a bare name looked up in PATH, or an
    /// absolute path; never an option.
    /// `subject` names the value in messages: "`docker.binary`", or "it".
    static func binaryProblems(_ value: String, subject: String, expected: String) -> [Problem] {
        if let problem = controlCharacterProblem(value, subject: subject) { return [problem] }
        if value.hasPrefix("-") {
            return [Problem(
                rule: .optionLikeValue, message: "\(subject) must not begin with `-`: `\(shown(value))` would be read as an option",
                hint: "write `\(expected)` or the program's absolute path"
            )]
        }
        if value.contains("/"), !value.hasPrefix("/") {
            return [Problem(
                rule: .relativePath, message: "\(subject) must be a program name or an absolute path, found `\(shown(value))`",
                hint: "a relative path depends on the directory crplan runs in; write it from `/`"
            )]
        }
        if value.hasSuffix("/") {
            return [Problem(
                rule: .relativePath, message: "\(subject) must name a program, found the directory `\(shown(value))`",
                hint: "write the program's absolute path, e.g. `/usr/bin/\(expected)`"
            )]
        }
        let basename = PathBytes.components(value, omittingEmpty: true).last.map(String.init) ?? value
        if !basename.hasPrefix(expected) {
            return [Problem(
                rule: .unusualBinary, message: "\(subject) runs `\(shown(value))`, whose name does not start with `\(expected)`; crplan runs it as root with \(expected)'s arguments",
                hint: "write `\(expected)` or the absolute path of the \(expected) program"
            )]
        }
        return []
    }

    /// `docker.host`: `unix:///absolute/path`, `tcp://host[:port]`,
    /// `ssh://[user@]host[:port]` or `fd://[N]`, as docker's `-H` takes.
    static func hostProblems(_ value: String, subject: String) -> [Problem] {
        if let problem = controlCharacterProblem(value, subject: subject) { return [problem] }
        let hint = "write `unix:///var/run/docker.sock`, `tcp://HOST:PORT`, `ssh://USER@HOST` or `fd://`"
        if value.hasPrefix("-") {
            return [Problem(rule: .optionLikeValue, message: "\(subject) must not begin with `-`: `\(shown(value))` would be read as an option", hint: hint)]
        }
        if let space = value.utf8.firstIndex(of: UInt8(ascii: " ")) {
            return [Problem(
                rule: .invalidDockerHost, message: "\(subject) must not contain spaces, found `\(shown(value))`", hint: hint,
                offset: value.utf8.distance(from: value.utf8.startIndex, to: space)
            )]
        }
        if value.hasPrefix("unix://") {
            // The socket path as the other path fields: normalised, reported at the spot.
            let socket = String(value.dropFirst("unix://".count))
            let start = "unix://".utf8.count
            if let offset = withBytes(of: socket, { PathChecks.parentSegmentOffset($0) }) {
                return [Problem(
                    rule: .parentSegment, message: "\(subject) names a socket path with a `..` segment: `\(shown(value))`",
                    hint: "write the socket's path without `..`", offset: start + offset
                )]
            }
            if socket.hasPrefix("/"), let found = PathPolicy.nonCanonicalOffset(socket, isStart: true, isEnd: true) {
                return [Problem(
                    rule: .nonCanonicalPath, message: "\(subject) must name a normalised socket path, but `\(shown(value))` has \(found.what)",
                    hint: "write it as `unix://\(shown(PathPolicy.canonical(socket)))`", offset: start + found.offset
                )]
            }
        }
        if isValidHost(value) { return [] }
        return [Problem(rule: .invalidDockerHost, message: "\(subject) is not a Docker daemon address: `\(shown(value))`", hint: hint)]
    }

    static func isValidHost(_ value: String) -> Bool {
        if value.hasPrefix("unix://") {
            let socket = value.dropFirst("unix://".count)
            return socket.hasPrefix("/") && socket.count > 1 && !socket.hasSuffix("/")
        }
        if value.hasPrefix("fd://") {
            return value.dropFirst("fd://".count).allSatisfy(\.isASCIIDigit)
        }
        for scheme in ["tcp://", "ssh://"] where value.hasPrefix(scheme) {
            var authority = value.dropFirst(scheme.count)
            if scheme == "tcp://", authority.hasSuffix("/") { authority = authority.dropLast() }
            if scheme == "ssh://", let at = authority.lastIndex(of: "@") {
                guard at != authority.startIndex else { return false }
                authority = authority[authority.index(after: at)...]
            }
            return isHostAndPort(authority)
        }
        return false
    }

    /// `host`, `host:port`, `[v6]:port`.
    private static func isHostAndPort(_ text: Substring) -> Bool {
        var host = text
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return false }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return false }
                port = rest.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        } else {
            if let colon = text.lastIndex(of: ":") {
                host = text[..<colon]
                port = text[text.index(after: colon)...]
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }),
                  !host.hasPrefix("-") else { return false }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), let number = Int(port), (1...65535).contains(number) else {
                return false
            }
        }
        return true
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
