/// Builds command lines for a POSIX shell (`sh -c LINE`) from argv arrays.
///
/// sshd runs a remote command through the remote user's login shell, so the
/// command is sent as one line in which every argument is single-quoted:
/// inside single quotes a POSIX shell gives every byte its literal meaning
/// (`$`, backquotes, `\`, `;`, spaces, newlines), and an embedded `'` is
/// written `'\''` (close, escaped quote, reopen). The remote login shell
/// must be a POSIX shell (sh, dash, bash, zsh); csh-family shells are not
/// supported (they treat `!` and newlines inside quotes specially).
public enum RemoteShellQuoting {
    /// The largest remote command line accepted, in bytes. Linux limits one
    /// argument (the shell's `-c` line) to 128 KiB; this stays below it.
    public static let maximumLineLength = 100_000

    /// `argument` single-quoted for a POSIX shell. Throws for a NUL byte,
    /// which no argv element can carry.
    public static func quote(_ argument: String) throws(RemoteShellQuotingError) -> String {
        if argument.utf8.contains(0) { throw .nulByte(argument: display(argument)) }
        var quoted = "'"
        for character in argument.unicodeScalars {
            if character == "'" {
                quoted += "'\\''"
            } else {
                quoted.unicodeScalars.append(character)
            }
        }
        quoted += "'"
        return quoted
    }

    /// `argv` as one shell command line: each element quoted, joined by spaces.
    public static func commandLine(_ argv: [String]) throws(RemoteShellQuotingError) -> String {
        guard !argv.isEmpty else { throw .emptyCommand }
        var parts: [String] = []
        parts.reserveCapacity(argv.count)
        for argument in argv { parts.append(try quote(argument)) }
        let line = parts.joined(separator: " ")
        guard line.utf8.count <= maximumLineLength else {
            throw .tooLong(bytes: line.utf8.count, limit: maximumLineLength)
        }
        return line
    }

    /// An argument shortened for an error message.
    static func display(_ argument: String) -> String {
        let visible = argument.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : String($0) }.joined()
        return visible.count > 80 ? String(visible.prefix(80)) + "…" : visible
    }
}

/// Why an argv cannot be turned into a shell command line.
public enum RemoteShellQuotingError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyCommand
    case nulByte(argument: String)
    case tooLong(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .emptyCommand:
            "the remote command is empty: give at least the program to run"
        case .nulByte(let argument):
            "the argument \"\(argument)\" contains a NUL byte, which cannot be passed to a program; remove it"
        case .tooLong(let bytes, let limit):
            "the remote command line is \(bytes) bytes, more than the \(limit) a remote shell accepts; pass fewer or shorter arguments (a file list through a file, say)"
        }
    }
}
