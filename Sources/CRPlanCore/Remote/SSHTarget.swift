/// Where and how crplan reaches another machine over ssh: the destination
/// (`user@host`), port, key, known-hosts file, a few allow-listed `-o`
/// options and optional connection multiplexing. Validated on creation, so
/// a value of this type can always be turned into an ssh argv
/// (`SSHTarget.argv(running:)`). Host-key checking is always on and ssh never
/// prompts (`BatchMode=yes`, `StrictHostKeyChecking=yes`).
public struct SSHTarget: Sendable, Hashable, Codable {
    /// `user@host`: the user is always named (ssh's default would be crplan's own).
    public let destination: String
    /// TCP port; nil: ssh's default (22 or the ssh config's).
    public let port: Int?
    /// Private key file (`-i`, with `IdentitiesOnly=yes`); nil: ssh's defaults.
    public let identityFile: String?
    /// Known-hosts file that must hold the host's key; nil: ssh's defaults.
    public let knownHostsFile: String?
    /// Extra `-o Key=Value` options, from `SSHOption.allowedKeys` only.
    public let options: [SSHOption]
    /// One shared connection for many commands (`ControlMaster=auto`).
    public let multiplexing: SSHMultiplexing?

    public init(
        destination: String, port: Int? = nil, identityFile: String? = nil, knownHostsFile: String? = nil,
        options: [SSHOption] = [], multiplexing: SSHMultiplexing? = nil
    ) throws(SSHTargetError) {
        try Self.validateDestination(destination)
        if let port, !(1...65_535).contains(port) { throw .invalidPort(port) }
        if let identityFile { try Self.validatePath(identityFile, field: "identityFile") }
        if let knownHostsFile { try Self.validatePath(knownHostsFile, field: "knownHostsFile") }
        guard options.count <= Self.maximumOptions else { throw .tooManyOptions(options.count, limit: Self.maximumOptions) }
        var seen: Set<String> = []
        for option in options where !seen.insert(option.key.lowercased()).inserted {
            throw .duplicateOption(option.key)
        }
        if let multiplexing {
            try SSHMultiplexing.validateDirectory(multiplexing.controlDirectory)
        }
        self.destination = destination
        self.port = port
        self.identityFile = identityFile
        self.knownHostsFile = knownHostsFile
        self.options = options
        self.multiplexing = multiplexing
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            destination: container.decode(String.self, forKey: .destination),
            port: container.decodeIfPresent(Int.self, forKey: .port),
            identityFile: container.decodeIfPresent(String.self, forKey: .identityFile),
            knownHostsFile: container.decodeIfPresent(String.self, forKey: .knownHostsFile),
            options: container.decodeIfPresent([SSHOption].self, forKey: .options) ?? [],
            multiplexing: container.decodeIfPresent(SSHMultiplexing.self, forKey: .multiplexing))
    }

    static let maximumOptions = 16
    static let maximumUserLength = 32
    static let maximumHostLength = 253
    static let maximumPathLength = 1024

    /// `user@host`: the user a POSIX login name (`[A-Za-z_][A-Za-z0-9_.-]*`),
    /// the host a DNS name, IPv4 or IPv6 address (letters, digits, `.`, `-`,
    /// `:`); neither may start with `-` (it would read as an ssh option). The
    /// user is required: without it ssh logs in as crplan's own user name.
    static func validateDestination(_ destination: String) throws(SSHTargetError) {
        let parts = destination.split(separator: "@", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .invalidDestination(destination, reason: "more than one '@'") }
        let host = String(parts[parts.count - 1])
        if parts.count == 2 {
            let user = String(parts[0])
            guard !user.isEmpty, user.utf8.count <= maximumUserLength else {
                throw .invalidDestination(destination, reason: "the user name must have 1 to \(maximumUserLength) characters")
            }
            guard let first = user.unicodeScalars.first, isLetter(first) || first == "_",
                user.unicodeScalars.allSatisfy({ isLetter($0) || isDigit($0) || "_.-".unicodeScalars.contains($0) })
            else {
                throw .invalidDestination(destination, reason: "the user name may hold only letters, digits, '_', '.', '-' and must start with a letter or '_'")
            }
        }
        guard !host.isEmpty, host.utf8.count <= maximumHostLength else {
            throw .invalidDestination(destination, reason: "the host must have 1 to \(maximumHostLength) characters")
        }
        guard !host.hasPrefix("-"), !host.hasPrefix("."),
            host.unicodeScalars.allSatisfy({ isLetter($0) || isDigit($0) || ".-:".unicodeScalars.contains($0) })
        else {
            throw .invalidDestination(destination, reason: "the host may hold only letters, digits, '.', '-', ':' and must not start with '-' or '.'")
        }
        guard parts.count == 2 else {
            throw .invalidDestination(destination, reason: "it names no user (ssh would log in as crplan's own user)")
        }
    }

    /// Absolute, normalised (no `//`, `.` or `..` component, no trailing
    /// `/`), at most 1024 bytes, and only characters ssh takes literally
    /// in an option value: letters, digits and `/._-+@,=:` (ssh splits option
    /// values at spaces and expands `%` and `~` in file names).
    static func validatePath(_ path: String, field: String) throws(SSHTargetError) {
        guard path.hasPrefix("/") else { throw .invalidPath(field: field, path: path, reason: "it must be absolute") }
        guard path.utf8.count <= maximumPathLength else {
            throw .invalidPath(field: field, path: String(path.prefix(80)) + "…", reason: "it is longer than \(maximumPathLength) bytes")
        }
        guard path.unicodeScalars.allSatisfy({ isLetter($0) || isDigit($0) || "/._-+@,=:".unicodeScalars.contains($0) }) else {
            throw .invalidPath(field: field, path: RemoteShellQuoting.display(path), reason: "only letters, digits and / . _ - + @ , = : are allowed (no spaces, quotes, % or ~)")
        }
        let components = PathBytes.components(path).dropFirst()
        guard !components.contains(where: { $0 == ".." || $0 == "." }) else {
            throw .invalidPath(field: field, path: path, reason: "it must not contain '.' or '..' components")
        }
        guard path == "/" || !components.contains(where: \.isEmpty) else {
            throw .invalidPath(field: field, path: path, reason: "it must be normalised, without `//` or a trailing `/`")
        }
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}

/// One `-o Key=Value` ssh option. Only keys in `allowedKeys` are accepted:
/// options that run local commands (`ProxyCommand`, `LocalCommand`,
/// `KnownHostsCommand`), forward anything, choose other keys or weaken
/// host-key checking or the algorithms are not (`refusalReason(forKey:)`
/// says why), and the fixed ones (`BatchMode`, `StrictHostKeyChecking`,
/// files, `Control*`) come from `SSHTarget`'s own fields.
public struct SSHOption: Sendable, Hashable, Codable {
    public let key: String
    public let value: String

    /// Keys (as ssh spells them) an `SSHTarget` may set: timeouts,
    /// keep-alives, compression, logging and address family, none of which
    /// runs a program, opens a channel or changes whom ssh trusts.
    public static let allowedKeys: [String] = [
        "ConnectTimeout", "ConnectionAttempts", "ServerAliveInterval", "ServerAliveCountMax", "TCPKeepAlive",
        "Compression", "LogLevel", "IPQoS", "AddressFamily", "RekeyLimit",
    ]

    /// Why a well-known key is refused (lowercased key → reason); a key not
    /// listed here nor allowed is refused as unknown to crplan.
    static let refusals: [String: String] = {
        var table: [String: String] = [:]
        let runs = "it makes ssh run a local command (through a shell, as root)"
        for key in ["proxycommand", "localcommand", "permitlocalcommand", "knownhostscommand", "remotecommand", "proxyusefdpass"] {
            table[key] = runs
        }
        table["proxyjump"] = "it sends the connection through another machine, whose own options crplan cannot check"
        for key in ["localforward", "remoteforward", "dynamicforward", "forwardagent", "forwardx11", "forwardx11trusted", "tunnel",
                    "tunneldevice", "gatewayports", "streamlocalbindunlink", "exitonforwardfailure", "clearallforwardings"] {
            table[key] = "it forwards ports, sockets or credentials between the machines"
        }
        for key in ["stricthostkeychecking", "userknownhostsfile", "globalknownhostsfile", "checkhostip", "hostkeyalias",
                    "updatehostkeys", "verifyhostkeydns", "nohostauthenticationforlocalhost", "hashknownhosts"] {
            table[key] = "it changes how the target's host key is checked; crplan always checks it against `knownHostsFile`"
        }
        for key in ["ciphers", "macs", "kexalgorithms", "hostkeyalgorithms", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes",
                    "casignaturealgorithms", "fingerprinthash"] {
            table[key] = "it could weaken the connection's cryptography; the installed OpenSSH's defaults are used"
        }
        for key in ["identityfile", "identitiesonly", "identityagent", "certificatefile", "pkcs11provider", "securitykeyprovider",
                    "addkeystoagent", "batchmode", "passwordauthentication", "kbdinteractiveauthentication", "preferredauthentications",
                    "hostbasedauthentication", "pubkeyauthentication", "gssapiauthentication", "gssapidelegatecredentials"] {
            table[key] = "it changes how crplan logs in; use `identityFile` (ssh never prompts: BatchMode=yes)"
        }
        for key in ["controlmaster", "controlpath", "controlpersist"] {
            table[key] = "crplan sets up the shared connection itself (`controlDirectory`)"
        }
        for key in ["hostname", "user", "port", "bindaddress", "bindinterface", "canonicalizehostname", "canonicaldomains"] {
            table[key] = "it changes which machine or account is reached; use `destination` and `port`"
        }
        for key in ["sendenv", "setenv", "requesttty", "escapechar", "include", "match", "host", "sessiontype", "stdinnull",
                    "forkafterauthentication", "visualhostkey", "permitremoteopen", "xauthlocation", "revokedhostkeys"] {
            table[key] = "crplan runs exactly one command per connection, with nothing else passed to or asked of the target"
        }
        return table
    }()

    /// Why `key` may not be set, or nil when it may.
    public static func refusalReason(forKey key: String) -> String? {
        let lowered = key.lowercased()
        if allowedKeys.contains(where: { $0.lowercased() == lowered }) { return nil }
        return refusals[lowered] ?? "crplan does not know it, and passes only options known to be safe"
    }

    static let maximumValueLength = 256

    public init(key: String, value: String) throws(SSHTargetError) {
        guard let canonical = Self.allowedKeys.first(where: { $0.lowercased() == key.lowercased() }) else {
            throw .optionNotAllowed(
                key: RemoteShellQuoting.display(key), reason: Self.refusalReason(forKey: key) ?? "", allowed: Self.allowedKeys)
        }
        guard !value.isEmpty, value.utf8.count <= Self.maximumValueLength,
            value.unicodeScalars.allSatisfy({
                SSHTarget.isLetter($0) || SSHTarget.isDigit($0) || "._,:@+-".unicodeScalars.contains($0)
            })
        else {
            throw .invalidOptionValue(key: canonical, value: RemoteShellQuoting.display(value))
        }
        if let expected = Self.grammarProblem(key: canonical, value: value) {
            throw .optionValueNotInGrammar(key: canonical, value: value, expected: expected)
        }
        self.key = canonical
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(key: container.decode(String.self, forKey: .key), value: container.decode(String.self, forKey: .value))
    }

    /// What each allowed key's value must be (ssh_config(5)), as said in
    /// messages; nil when `value` fits. Numbers are plain decimal within
    /// bounds; words are matched without regard to case, as ssh does.
    static func grammarProblem(key: String, value: String) -> String? {
        func number(_ range: ClosedRange<Int>) -> String? {
            let fits = value.utf8.count <= 7 && value.utf8.allSatisfy { (0x30...0x39).contains($0) } && Int(value).map(range.contains) == true
            return fits ? nil : "a whole number of \(range.lowerBound) to \(range.upperBound)"
        }
        func word(_ words: [String]) -> String? {
            words.contains(value.lowercased()) ? nil : "one of " + words.joined(separator: ", ")
        }
        switch key {
        case "ConnectTimeout": return number(1...3600)
        case "ConnectionAttempts": return number(1...100)
        case "ServerAliveInterval": return number(0...3600)
        case "ServerAliveCountMax": return number(0...100)
        case "TCPKeepAlive", "Compression": return word(["yes", "no"])
        case "LogLevel": return word(["quiet", "fatal", "error", "info", "verbose", "debug", "debug1", "debug2", "debug3"])
        case "AddressFamily": return word(["any", "inet", "inet6"])
        case "IPQoS":
            let classes = ["af11", "af12", "af13", "af21", "af22", "af23", "af31", "af32", "af33", "af41", "af42", "af43",
                           "cs0", "cs1", "cs2", "cs3", "cs4", "cs5", "cs6", "cs7", "ef", "le", "lowdelay", "throughput", "reliability", "none"]
            return word(classes)
        case "RekeyLimit":
            // `default`, or a byte count with an optional K, M or G suffix (at least 16 bytes, at most 4G).
            if value.lowercased() == "default" { return nil }
            var digits = Substring(value)
            var scale = 1
            if let last = digits.last, let found = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30][last.lowercased()] {
                scale = found
                digits = digits.dropLast()
            }
            guard !digits.isEmpty, digits.utf8.count <= 10, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                  let count = Int(digits), (16...(4 << 30)).contains(count * scale) else {
                return "`default` or a byte count of 16 to 4G with an optional K, M or G suffix"
            }
            return nil
        default: return nil
        }
    }

    /// `Key=Value`, the argument after `-o`.
    public var argument: String { key + "=" + value }
}

/// Connection multiplexing: the first command opens a master connection
/// with its control socket in `controlDirectory` (a root-owned 0700 folder),
/// later ones reuse it; the master stays `persistSeconds` after the last.
public struct SSHMultiplexing: Sendable, Hashable, Codable {
    public var controlDirectory: String
    public var persistSeconds: Int

    public init(controlDirectory: String, persistSeconds: Int = 60) {
        self.controlDirectory = controlDirectory
        self.persistSeconds = max(1, min(persistSeconds, 3600))
    }

    /// ssh's `%C` (40 hex digits) plus the 17-character suffix ssh adds while
    /// it creates the socket must fit a unix socket path (107 bytes).
    static let maximumDirectoryLength = 107 - 1 - 40 - 17

    /// Folders everyone may write in: a control socket there could be
    /// planted or replaced by another user before crplan binds it.
    static let sharedTrees = ["/tmp", "/var/tmp", "/dev/shm", "/run/shm", "/run/lock", "/var/lock", "/var/crash", "/dev/mqueue"]

    /// The world-writable tree `directory` is in (or is), or nil.
    static func sharedTree(of directory: String) -> String? {
        sharedTrees.first { directory == $0 || directory.hasPrefix($0 + "/") }
    }

    /// A control directory crplan may use: a valid ssh path, short enough
    /// for the socket, and not in a world-writable tree. At run time an
    /// existing one must also be root's and not group/world writable
    /// (`Host.makeDirectory` checks it before every ssh command).
    static func validateDirectory(_ directory: String) throws(SSHTargetError) {
        try SSHTarget.validatePath(directory, field: "controlDirectory")
        guard directory.utf8.count <= maximumDirectoryLength else {
            throw .controlDirectoryTooLong(directory, limit: maximumDirectoryLength)
        }
        if let tree = sharedTree(of: directory) { throw .controlDirectoryShared(directory, tree: tree) }
    }

    /// The directory without a trailing `/`.
    var trimmedDirectory: String {
        controlDirectory.count > 1 && controlDirectory.hasSuffix("/") ? String(controlDirectory.dropLast()) : controlDirectory
    }
}

/// Why an `SSHTarget` (or its command) is refused. Messages name the field.
public enum SSHTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidDestination(String, reason: String)
    case invalidPort(Int)
    case invalidPath(field: String, path: String, reason: String)
    case invalidPortText(String)
    case optionNotAllowed(key: String, reason: String, allowed: [String])
    case invalidOptionValue(key: String, value: String)
    case duplicateOption(String)
    case tooManyOptions(Int, limit: Int)
    case controlDirectoryTooLong(String, limit: Int)
    case controlDirectoryShared(String, tree: String)
    case optionValueNotInGrammar(key: String, value: String, expected: String)
    case command(RemoteShellQuotingError)

    public var description: String {
        switch self {
        case .invalidDestination(let destination, let reason):
            "ssh destination \"\(RemoteShellQuoting.display(destination))\" is invalid: \(reason); write it as user@host"
        case .invalidPort(let port):
            "ssh port \(port) is out of range; use 1-65535"
        case .invalidPath(let field, let path, let reason):
            "ssh \(field) \"\(path)\" is invalid: \(reason)"
        case .invalidPortText(let text):
            "ssh port \"\(text)\" is not a number; use 1-65535"
        case .optionNotAllowed(let key, let reason, let allowed):
            "ssh option \"\(key)\" is refused: \(reason); allowed: \(allowed.joined(separator: ", "))"
        case .invalidOptionValue(let key, let value):
            "ssh option \(key) has an invalid value \"\(value)\": use 1-256 letters, digits and . _ , : @ + -"
        case .duplicateOption(let key):
            "ssh option \(key) is given twice; keep one"
        case .tooManyOptions(let count, let limit):
            "\(count) ssh options given; at most \(limit) are accepted"
        case .controlDirectoryTooLong(let directory, let limit):
            "ssh control directory \"\(directory)\" is longer than \(limit) bytes, too long for ssh's control socket path; use a shorter folder"
        case .controlDirectoryShared(let directory, let tree):
            "ssh control directory \"\(directory)\" is in \(tree), where every user may write: another user could plant or replace "
                + "the control socket crplan's ssh commands go through; use a folder only root can write, e.g. /run/crplan/ssh"
        case .optionValueNotInGrammar(let key, let value, let expected):
            "ssh option \(key) has the value \"\(RemoteShellQuoting.display(value))\", but it must be \(expected)"
        case .command(let error):
            error.description
        }
    }
}
