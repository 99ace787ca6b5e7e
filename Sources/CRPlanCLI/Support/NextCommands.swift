import CRPlanCore

/// Spells the commands the core suggests with the plan file the operator
/// typed, so the advice can be pasted as it is.
enum NextCommands {
    /// "`crplan resume plans/web.yaml` to continue it".
    static func line(_ command: NextCommand, file: String) -> String {
        "`crplan \(command.verb.rawValue) \(ShellQuoting.word(file))` \(command.purpose)"
    }

    /// One "next:" line each, indented.
    static func lines(_ commands: [NextCommand], file: String, indent: String) -> [String] {
        commands.map { indent + "next: " + line($0, file: file) }
    }
}
