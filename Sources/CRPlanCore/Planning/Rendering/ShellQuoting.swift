/// Prints argv the way `docker_cr.sh -v` shows its commands: one line,
/// arguments separated by spaces, single quotes around those a shell would
/// split or expand. Display only: crplan never runs a shell. The one quoter
/// for display: the dry run, progress lines, error messages.
public enum ShellQuoting {
    static func commandLine(_ arguments: [Argument]) -> String {
        arguments.map(word).joined(separator: " ")
    }

    /// A bound argv as one readable line (progress output, events).
    public static func line(_ argv: [String]) -> String {
        argv.map(word).joined(separator: " ")
    }

    /// One argument, single-quoted when a shell would split or expand it.
    public static func word(_ text: String) -> String {
        text.isEmpty ? "''" : isSafe(text) ? text : "'" + text.replacing("'", with: #"'\''"#) + "'"
    }

    /// `${...}` variables print bare: they are placeholders, not shell syntax.
    static func word(_ argument: Argument) -> String {
        switch argument {
        case .cgroupExtMounts, .sourceConfiguration, .sourceCommand, .deletedPaths, .overlayDeletions:
            return argument.description
        case .value(let template):
            let texts = template.segments.compactMap { segment -> String? in
                if case .text(let text) = segment { text } else { nil }
            }
            if !template.segments.isEmpty && texts.allSatisfy(isSafe) {
                return template.description
            }
            return "'" + template.description.replacing("'", with: #"'\''"#) + "'"
        }
    }

    private static func isSafe(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            case UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "="),
                 UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }
}
