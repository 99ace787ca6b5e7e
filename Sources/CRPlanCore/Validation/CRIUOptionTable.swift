/// CRIU 4.1.1's command-line options, as its getopt_long table declares
/// them: crplan resolves `criu.extraArgs` the way CRIU will, so that an
/// abbreviation (`--auto-dedu`, `--images-d=`) meets the same rules as the
/// option it stands for.
///
/// Taken from `criu --help` and from probing CRIU 4.1.1's own parser
/// (`criu check --PREFIX=` prints the possibilities of an ambiguous prefix,
/// `doesn't allow an argument` for flags, `requires an argument` otherwise);
/// `CRIUOptionTableTests` repeats the probes against the installed CRIU.
enum CRIUOptionTable {
    /// Whether an option takes a value, as getopt_long's `has_arg`.
    enum Argument: Equatable {
        case none
        case required
        /// Only attached: `--opt=value` or `-vVALUE`, never the next entry.
        case optional
    }

    struct Option: Equatable {
        /// The long name without `--`.
        let name: String
        let argument: Argument
        /// Options with equal identities are one option to getopt_long
        /// (same `has_arg`, `flag` and `val`), so a prefix matching only
        /// them is not ambiguous: `--daemon` is `--restore-detached`.
        let identity: String
        /// The short letter CRIU also accepts, if any.
        let short: Character?
    }

    private static func option(_ name: String, _ argument: Argument = .none, short: Character? = nil, same identity: String? = nil) -> Option {
        Option(name: name, argument: argument, identity: identity ?? name, short: short)
    }

    /// `BOOL_OPT` in CRIU: the option and its `--no-` negation.
    private static func bool(_ name: String, same identity: String? = nil) -> [Option] {
        let identity = identity ?? name
        return [option(name, same: identity), option("no-" + name, same: "no-" + identity)]
    }

    static let options: [Option] = {
        var table: [Option] = [
            option("tree", .required, short: "t"),
            option("leave-stopped", short: "s"),
            option("leave-running", short: "R"),
        ]
        table += bool("restore-detached")
        table += bool("restore-sibling")
        table += bool("daemon", same: "restore-detached")
        table += [
            option("images-dir", .required, short: "D"),
            option("work-dir", .required, short: "W"),
            option("log-file", .required, short: "o"),
            option("join-ns", .required, short: "J"),
            option("root", .required, short: "r"),
            option("ext-unix-sk", .optional, short: "x"),
            option("help", short: "h"),
        ]
        table += bool("tcp-established")
        table.append(option("close", .required))
        table += bool("log-pid")
        table.append(option("version", short: "V"))
        table += bool("evasive-devices")
        table += [option("pidfile", .required), option("veth-pair", .required), option("action-script", .required)]
        table += bool("link-remap")
        table += bool("shell-job")
        table += bool("file-locks")
        table += bool("page-server")
        table += [option("address", .required), option("port", .required), option("prev-images-dir", .required), option("ms")]
        table += bool("track-mem")
        table += bool("auto-dedup")
        table += [
            option("libdir", .required, short: "L"),
            option("cpu-cap", .optional),
        ]
        table += bool("force-irmap")
        table += [
            option("ext-mount-map", .required, short: "M"),
            option("exec-cmd"),
            option("manage-cgroups", .optional),
            option("cgroup-root", .required),
            option("inherit-fd", .required),
            option("feature", .required),
            option("skip-mnt", .required),
            option("enable-fs", .required),
            option("enable-external-sharing"),
            option("enable-external-masters"),
            option("freeze-cgroup", .required),
            option("ghost-limit", .required),
            option("irmap-scan-path", .required),
            option("lsm-profile", .required),
            option("timeout", .required),
            option("external", .required),
            option("empty-ns", .required),
            option("lazy-pages"),
        ]
        table += bool("extra")
        table += bool("experimental")
        table += [
            option("all"),
            option("cgroup-props", .required),
            option("cgroup-props-file", .required),
            option("cgroup-dump-controller", .required),
        ]
        table += bool("skip-in-flight")
        table += bool("deprecated")
        table += bool("display-stats")
        table += bool("weak-sysctls")
        table.append(option("status-fd", .required))
        table += bool("tcp-close")
        table += [option("verbosity", .optional, short: "v"), option("ps-socket", .required)]
        table += bool("stream")
        table += [option("config", .required), option("no-default-config")]
        table += [
            option("tls-cacert", .required), option("tls-cacrl", .required),
            option("tls-cert", .required), option("tls-key", .required),
        ]
        table += bool("tls")
        table += [
            option("tls-no-cn-verify"),
            option("cgroup-yard", .required),
            option("pre-dump-mode", .required),
            option("file-validation", .required),
        ]
        table += bool("skip-file-rwx-check")
        table += [option("lsm-mount-context", .required), option("network-lock", .required)]
        table += bool("mntns-compat-mode")
        table += bool("unprivileged")
        table += bool("ghost-fiemap")
        return table
    }()

    /// Short letters CRIU's optstring (`dSsRt:hD:o:v::x::Vr:jJ:lW:L:M:`)
    /// maps to long options; `-S`, `-j`, `-l` and `-d` stand for `BOOL_OPT`
    /// options, whose table entries have no letter.
    static let shortOptions: [Character: String] = {
        var map: [Character: String] = ["S": "restore-sibling", "j": "shell-job", "l": "file-locks", "d": "restore-detached"]
        for option in options {
            if let short = option.short { map[short] = option.name }
        }
        return map
    }()

    static let byName: [String: Option] = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// How getopt_long reads `--name`: an exact name wins; otherwise every
    /// option starting with `name`, which must all be one option.
    enum LongMatch: Equatable {
        case found(Option)
        case ambiguous([String])
        case unknown
    }

    static func match(long name: String) -> LongMatch {
        if let exact = byName[name] { return .found(exact) }
        guard !name.isEmpty else { return .unknown }
        let candidates = options.filter { $0.name.hasPrefix(name) }
        guard let first = candidates.first else { return .unknown }
        if candidates.allSatisfy({ $0.identity == first.identity && $0.argument == first.argument }) {
            return .found(first)
        }
        return .ambiguous(candidates.map(\.name))
    }
}
