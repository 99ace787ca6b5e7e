/// `target.ssh` as written: how crplan reaches the machine of the target
/// engine. The values may use `${env.NAME}`; the planner substitutes them
/// and turns the result into a validated `SSHTarget` (`resolved(with:)`),
/// the one value both the dry run and `RemoteHost` build ssh argv from.
public struct SSHSettings: Sendable, Hashable, Codable {
    /// `user@host` or `host`.
    public var destination: Template
    /// The port, a number 1-65535 once substituted; nil: ssh's default.
    public var port: Template?
    /// The private key (`-i`, with `IdentitiesOnly=yes`).
    public var identityFile: Template?
    /// The known-hosts file that must hold the target's host key.
    public var knownHostsFile: Template?
    /// The folder (root's, 0700) of the multiplexing control socket;
    /// nil: `defaultControlDirectory`.
    public var controlDirectory: Template?
    /// Extra `-o Key=Value` options, from `SSHOption.allowedKeys` only.
    public var options: [SSHOption]

    /// Where the control socket of the shared connection lives by default.
    public static let defaultControlDirectory = "/run/crplan/ssh"
    /// How long the shared connection outlives the last command, in seconds.
    public static let controlPersistSeconds = 30

    public init(
        destination: Template, port: Template? = nil, identityFile: Template? = nil, knownHostsFile: Template? = nil,
        controlDirectory: Template? = nil, options: [SSHOption] = []
    ) {
        self.destination = destination
        self.port = port
        self.identityFile = identityFile
        self.knownHostsFile = knownHostsFile
        self.controlDirectory = controlDirectory
        self.options = options
    }

    /// The settings with every value given as literal text (for code and tests).
    public init(
        destination: String, port: Int? = nil, identityFile: String? = nil, knownHostsFile: String? = nil,
        controlDirectory: String? = nil, options: [SSHOption] = []
    ) {
        self.init(
            destination: Template(literal: destination), port: port.map { Template(literal: String($0)) },
            identityFile: identityFile.map { Template(literal: $0) }, knownHostsFile: knownHostsFile.map { Template(literal: $0) },
            controlDirectory: controlDirectory.map { Template(literal: $0) }, options: options
        )
    }
}
