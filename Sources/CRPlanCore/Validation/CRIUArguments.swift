/// Which `criu.extraArgs` entries crplan passes through, and why not.
///
/// crplan builds the `criu dump`/`criu restore` command lines itself, so
/// options it sets (or that have a plan field) must not be repeated,
/// `--auto-dedup` would make a failed restore destroy the checkpoint, and
/// options that run code or read more options are flagged. The entries are
/// first read the way CRIU's getopt_long reads them (`resolve`), so an
/// abbreviation or a short option meets the rules of the option it means.
enum CRIUArguments {
    typealias Option = CRIUOptionTable.Option

    /// One option as CRIU will read it.
    struct Use: Equatable {
        /// The entry holding the option.
        var index: Int
        /// The option as written: `--auto-dedu` (without `=value`), `-vvvv`.
        var written: String
        var option: Option
        /// Its value: after `=`, the rest of a short cluster, or the next entry.
        var value: String?
        /// The entry holding the value when it is the next one.
        var valueIndex: Int?
        /// `--flag=value` for an option that takes no value.
        var valueNotAllowed = false
        /// True when written as a short option (`-D`, `-vvvv`).
        var isShort: Bool { !written.hasPrefix("--") }
        /// True when written as neither the full long name nor a short option.
        var isAbbreviated: Bool { !isShort && written != "--" + option.name }
    }

    /// What resolving the entries found, entry by entry.
    enum Finding: Equatable {
        case option(Use)
        /// No CRIU option has this name or starts with it.
        case unknown(index: Int, written: String)
        case ambiguous(index: Int, written: String, candidates: [String])
        /// A value where an option was expected (CRIU would take it as an operand).
        case notAnOption(index: Int)
        /// `--` alone: CRIU would stop reading options.
        case endOfOptions(index: Int)
        /// The option needs a value and no entry follows.
        case missingValue(index: Int, written: String, option: String)
    }

    /// Reads `entries` as getopt_long does: an exact long name, else a
    /// unique prefix (prefixes of one option's aliases are unique);
    /// `--opt=value` or `--opt value` for options that need a value, only
    /// `--opt=value` for optional values; short clusters letter by letter
    /// until a letter takes the rest (or the next entry) as its value.
    static func resolve(_ entries: [String]) -> [Finding] {
        var findings: [Finding] = []
        var index = 0
        /// Takes the next entry as `use`'s value (`--opt value`, `-D value`);
        /// false, with a `missingValue` finding, when no entry follows.
        func takeNextEntry(as use: inout Use) -> Bool {
            guard index + 1 < entries.count else {
                findings.append(.missingValue(index: index, written: use.written, option: use.option.name))
                return false
            }
            index += 1
            use.value = entries[index]
            use.valueIndex = index
            return true
        }
        while index < entries.count {
            let entry = entries[index]
            defer { index += 1 }
            if entry == "--" {
                findings.append(.endOfOptions(index: index))
                continue
            }
            if entry.hasPrefix("--") {
                let body = entry.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let attached: String? = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                let written = "--" + name
                switch CRIUOptionTable.match(long: name) {
                case .unknown:
                    findings.append(.unknown(index: index, written: written))
                case .ambiguous(let candidates):
                    findings.append(.ambiguous(index: index, written: written, candidates: candidates))
                case .found(let option):
                    var use = Use(index: index, written: written, option: option, value: attached)
                    switch option.argument {
                    case .none:
                        use.valueNotAllowed = attached != nil
                    case .optional:
                        break
                    case .required where attached == nil:
                        guard takeNextEntry(as: &use) else { continue }
                    case .required:
                        break
                    }
                    findings.append(.option(use))
                }
                continue
            }
            guard entry.hasPrefix("-"), entry.count >= 2 else {
                findings.append(.notAnOption(index: index))
                continue
            }
            // A cluster of short options: `-Rj`, `-vvvv`, `-Dimages`.
            var letters = entry.dropFirst()
            while let letter = letters.first {
                letters = letters.dropFirst()
                guard let name = CRIUOptionTable.shortOptions[letter], let option = CRIUOptionTable.byName[name] else {
                    findings.append(.unknown(index: index, written: "-" + String(letter)))
                    break
                }
                var use = Use(index: index, written: entry, option: option)
                if option.argument == .none {
                    findings.append(.option(use))
                    continue
                }
                if !letters.isEmpty {
                    use.value = String(letters)
                } else if option.argument == .required {
                    guard takeNextEntry(as: &use) else { break }
                }
                findings.append(.option(use))
                break
            }
        }
        return findings
    }

    enum Verdict: Equatable {
        case accepted
        /// crplan sets this option itself.
        case reserved
        /// A plan field sets this option.
        case planField(String)
        case destructive
        /// The option defeats crplan's checks or the run (error).
        case unsafe(reason: String)
        /// CRIU, as root, runs a program or loads a library (warning).
        case runsCode(reason: String)
    }

    /// Options crplan always sets (by their long names; aliases too).
    static let reserved: Set<String> = [
        "tree", "images-dir", "root", "pidfile", "log-file", "verbosity", "ext-mount-map",
        "restore-detached", "daemon", "work-dir",
    ]

    /// Options that plan fields set, with their negations.
    static let fieldOptions: [String: String] = [
        "manage-cgroups": "criu.manageCgroups",
        "evasive-devices": "criu.evasiveDevices", "no-evasive-devices": "criu.evasiveDevices",
        "leave-running": "criu.leaveRunning",
        "tcp-established": "criu.tcpEstablished", "no-tcp-established": "criu.tcpEstablished",
        "shell-job": "criu.shellJob", "no-shell-job": "criu.shellJob",
        "file-locks": "criu.fileLocks", "no-file-locks": "criu.fileLocks",
        "no-restore-detached": "restore.detach", "no-daemon": "restore.detach",
        "track-mem": "criu.preDump", "prev-images-dir": "criu.preDump",
    ]

    static let unsafe: [String: String] = [
        "config": "it makes CRIU read more options from a file that crplan cannot check",
        "exec-cmd": "it makes CRIU run the command after `--`, which crplan never passes, as the restored tree's parent",
        "help": "it makes CRIU print its help and exit without checkpointing or restoring",
        "version": "it makes CRIU print its version and exit without checkpointing or restoring",
    ]

    static let runsCode: [String: String] = [
        "action-script": "CRIU, running as root, runs this program at every stage of the dump and the restore",
        "libdir": "CRIU, running as root, loads every plugin library in this directory",
    ]

    static func verdict(for option: Option) -> Verdict {
        if reserved.contains(option.name) { return .reserved }
        if let field = fieldOptions[option.name] { return .planField(field) }
        if option.name == "auto-dedup" { return .destructive }
        if let reason = unsafe[option.name] { return .unsafe(reason: reason) }
        if let reason = runsCode[option.name] { return .runsCode(reason: reason) }
        return .accepted
    }

    /// The option as messages name it: `--auto-dedup`, or `--auto-dedu`
    /// (CRIU's `--auto-dedup`) for an abbreviation or a short option.
    static func described(_ use: Use) -> String {
        use.isShort || use.isAbbreviated ? "`\(shown(use.written))` (CRIU's `--\(use.option.name)`)" : "`\(use.written)`"
    }
}
