/// Which `criu.extraArgs` entries crplan passes through, and why not.
///
/// crplan builds the `criu dump`/`criu restore` command lines itself, so
/// options it sets (or that have a plan field) must not be repeated, and
/// `--auto-dedup` would make a failed restore destroy the checkpoint.
enum CRIUArguments {
    enum Verdict: Equatable {
        case accepted
        /// Does not start with `--`; the hint says what to write instead.
        case notLongOption(hint: String)
        /// crplan sets this option itself.
        case reserved(option: String)
        /// A plan field sets this option.
        case planField(option: String, field: String)
        case destructive(option: String)
    }

    /// Long options crplan always sets.
    static let reservedLong: Set<String> = [
        "--images-dir", "--tree", "--root", "--pidfile", "--log-file", "--verbosity",
        "--ext-mount-map", "--restore-detached",
    ]

    /// Short options crplan always sets (`-v` also as `-v4`, `-vvv`).
    static let reservedShort: Set<Character> = ["D", "t", "o", "v", "d"]

    /// Options that plan fields set.
    static let fieldOptions: [String: String] = [
        "--manage-cgroups": "criu.manageCgroups",
        "--evasive-devices": "criu.evasiveDevices",
        "--leave-running": "criu.leaveRunning",
        "--tcp-established": "criu.tcpEstablished",
        "--shell-job": "criu.shellJob",
        "--file-locks": "criu.fileLocks",
    ]

    /// Short spellings of options that have a plan field.
    static let fieldShortOptions: [Character: String] = [
        "R": "criu.leaveRunning", "j": "criu.shellJob", "l": "criu.fileLocks",
    ]

    static func check(_ argument: String) -> Verdict {
        if argument.hasPrefix("--") {
            let option = String(argument.prefix { $0 != "=" })
            if option == "--" {
                return .notLongOption(hint: "`--` alone would end CRIU's options; remove it")
            }
            if reservedLong.contains(option) { return .reserved(option: option) }
            if let field = fieldOptions[option] { return .planField(option: option, field: field) }
            if option == "--auto-dedup" { return .destructive(option: option) }
            return .accepted
        }
        if argument.hasPrefix("-"), argument.count >= 2 {
            let letter = argument[argument.index(after: argument.startIndex)]
            if reservedShort.contains(letter) { return .reserved(option: argument) }
            if let field = fieldShortOptions[letter] {
                return .notLongOption(hint: "set `\(field): true` instead")
            }
            return .notLongOption(hint: "use CRIU's long option name, `--option` or `--option=value`")
        }
        return .notLongOption(hint: "write an option with its value as one entry, `--option=value`")
    }
}
