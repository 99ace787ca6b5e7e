import Foundation

/// The parts of a source container's `docker inspect` that a migration
/// carries to the target's `docker create`, and what it refuses.
///
/// Decoded from the JSON the source's `inspect` step printed (untrusted:
/// sizes bounded, NUL refused); `createOptions(mounts:)` turns it into the
/// `docker create` options, each one `--flag=value` argument so that no
/// value is read as an option, and `trailingArguments` the command after
/// the image.
public struct SourceConfiguration: Sendable, Hashable, Codable {
    /// The image id (`sha256:…`), which the target is created from.
    public var image: String
    public var command: [String]
    public var entrypoint: [String]
    public var environment: [String]
    public var workingDirectory: String
    public var user: String
    public var labels: [String: String]
    public var hostname: String
    public var tty: Bool
    public var openStdin: Bool
    public var restartPolicy: String
    public var restartRetries: Int
    public var capAdd: [String]
    public var capDrop: [String]
    public var securityOptions: [String]
    /// `name=soft:hard`.
    public var ulimits: [String]
    /// Mount point → options.
    public var tmpfs: [String: String]
    public var networkMode: String
    public var privileged: Bool
    public var devices: Int
    public var publishedPorts: Int
    public var links: Int
    public var pidMode: String
    public var ipcMode: String
    public var utsMode: String
    /// Volumes and bind mounts (destination, source, read-write).
    public var mounts: [SourceMount]

    /// One entry of the source's `Mounts`.
    public struct SourceMount: Sendable, Hashable, Codable {
        public var type: String
        public var source: String
        public var destination: String
        public var readWrite: Bool
    }

    /// The largest inspect output read (one container's inspect is a few KB).
    public static let maximumInspectBytes = 4 << 20
    /// The most entries any one list may hold.
    public static let maximumEntries = 4096

    // MARK: Decoding

    public init(inspectJSON bytes: [UInt8]) throws(MigrationRefusal) {
        guard bytes.count <= Self.maximumInspectBytes else {
            throw .malformed("the source's docker inspect output is \(bytes.count) bytes, more than the \(Self.maximumInspectBytes) crplan reads")
        }
        let decoded: [Inspect]
        do {
            decoded = try JSONDecoder().decode([Inspect].self, from: Data(bytes))
        } catch {
            throw .malformed("the source's docker inspect output is not the JSON crplan expects: \(error)")
        }
        guard decoded.count == 1, let inspect = decoded.first else {
            throw .malformed("the source's docker inspect printed \(decoded.count) containers, not one")
        }
        let config = inspect.Config ?? .init()
        let host = inspect.HostConfig ?? .init()
        image = inspect.Image ?? ""
        command = config.Cmd ?? []
        entrypoint = config.Entrypoint ?? []
        environment = config.Env ?? []
        workingDirectory = config.WorkingDir ?? ""
        user = config.User ?? ""
        labels = config.Labels ?? [:]
        hostname = config.Hostname ?? ""
        tty = config.Tty ?? false
        openStdin = config.OpenStdin ?? false
        restartPolicy = host.RestartPolicy?.Name ?? ""
        restartRetries = host.RestartPolicy?.MaximumRetryCount ?? 0
        capAdd = host.CapAdd ?? []
        capDrop = host.CapDrop ?? []
        securityOptions = host.SecurityOpt ?? []
        ulimits = (host.Ulimits ?? []).map { "\($0.Name)=\($0.Soft):\($0.Hard)" }
        tmpfs = host.Tmpfs ?? [:]
        networkMode = host.NetworkMode ?? ""
        privileged = host.Privileged ?? false
        devices = host.Devices?.count ?? 0
        publishedPorts = host.PortBindings?.values.reduce(0) { $0 + ($1?.count ?? 0) } ?? 0
        links = host.Links?.count ?? 0
        pidMode = host.PidMode ?? ""
        ipcMode = host.IpcMode ?? ""
        utsMode = host.UTSMode ?? ""
        mounts = (inspect.Mounts ?? []).map {
            SourceMount(type: $0.Type ?? "", source: $0.Source ?? "", destination: $0.Destination ?? "", readWrite: $0.RW ?? true)
        }
        try checkBounds()
    }

    func checkBounds() throws(MigrationRefusal) {
        let lists: [(String, Int)] = [
            ("Config.Cmd", command.count), ("Config.Entrypoint", entrypoint.count), ("Config.Env", environment.count),
            ("Config.Labels", labels.count), ("HostConfig.CapAdd", capAdd.count), ("HostConfig.CapDrop", capDrop.count),
            ("HostConfig.SecurityOpt", securityOptions.count), ("HostConfig.Ulimits", ulimits.count), ("HostConfig.Tmpfs", tmpfs.count),
            ("Mounts", mounts.count),
        ]
        for (field, count) in lists where count > Self.maximumEntries {
            throw .malformed("the source's \(field) has \(count) entries, more than the \(Self.maximumEntries) crplan carries")
        }
        guard Self.isImageID(image) else {
            throw .malformed("the source's image id `\(image.prefix(80))` is not `sha256:` and 64 hex digits")
        }
        // Docker prints every variable as NAME=value; a bare NAME would make
        // `docker create --env NAME` copy crplan's own variable in.
        for entry in environment {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw .malformed("the source's Config.Env entry `\(entry.prefix(60))` is not NAME=value")
            }
        }
        for key in labels.keys where key.isEmpty || key.contains("=") {
            throw .malformed("the source's Config.Labels key `\(key.prefix(60))` is empty or holds `=`")
        }
        var values: [String] = command
        values += entrypoint
        values += environment
        values += Array(labels.keys)
        values += Array(labels.values)
        values += capAdd
        values += capDrop
        values += securityOptions
        values += ulimits
        values += Array(tmpfs.keys)
        values += Array(tmpfs.values)
        values += [workingDirectory, user, hostname, restartPolicy]
        for value in values where value.utf8.count > Self.maximumValueBytes {
            throw .malformed("the source's configuration holds a value of \(value.utf8.count) bytes (`\(value.prefix(40))…`), more than the \(Self.maximumValueBytes) crplan carries")
        }
    }

    /// The most bytes one configuration value may have.
    public static let maximumValueBytes = 32 << 10

    /// A configuration from an archive (written by whoever made it, not read
    /// from this machine's engine) may not widen what the container may do
    /// on this host beyond Docker's defaults: no added capability, and no
    /// security option but `no-new-privileges` (seccomp, AppArmor, SELinux
    /// labels and the masked /proc paths stay Docker's). Throws, naming the
    /// field and the value.
    public func checkArchiveGrants() throws(MigrationRefusal) {
        let why = "a restore from an archive never grants more than Docker's defaults, since the archive's author would choose this host's "
            + "exposure; review the archive and create the container by hand, or migrate directly (`operation: migrate`)"
        if let first = capAdd.first { throw .cannotCarry("HostConfig.CapAdd", first, why: why) }
        for option in securityOptions where !["no-new-privileges", "no-new-privileges=true", "no-new-privileges:true"].contains(option) {
            throw .cannotCarry("HostConfig.SecurityOpt", option, why: why)
        }
    }

    static func isImageID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 71, text.hasPrefix("sha256:") else { return false }
        return bytes.dropFirst(7).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    // MARK: docker create

    /// The `docker create` options carrying this configuration, with each
    /// volume or bind mount taken from `targetMounts` (matched by
    /// destination). Throws, naming the field, for what cannot be carried.
    public func createOptions(mounts targetMounts: [TargetMount]) throws(MigrationRefusal) -> [String] {
        guard networkMode == "none" else {
            throw .cannotCarry(
                "HostConfig.NetworkMode", networkMode.isEmpty ? "(empty)" : networkMode,
                why: "a checkpoint with network namespaces other than `none` cannot be started on another engine by this crplan; run the source with --network none"
            )
        }
        if privileged { throw .cannotCarry("HostConfig.Privileged", "true", why: "a privileged container sees the source machine's devices") }
        if devices > 0 { throw .cannotCarry("HostConfig.Devices", "\(devices) device(s)", why: "host devices are not moved") }
        if publishedPorts > 0 { throw .cannotCarry("HostConfig.PortBindings", "\(publishedPorts) binding(s)", why: "published ports need a network") }
        if links > 0 { throw .cannotCarry("HostConfig.Links", "\(links) link(s)", why: "links name containers of the source engine") }
        for (field, value) in [("HostConfig.PidMode", pidMode), ("HostConfig.IpcMode", ipcMode), ("HostConfig.UTSMode", utsMode)]
        where !["", "private", "shareable"].contains(value) {
            throw .cannotCarry(field, value, why: "it shares a namespace with the source machine or another container")
        }

        var options = ["--network=none"]
        for mount in mounts {
            guard let target = targetMounts.first(where: { $0.destination == mount.destination }) else {
                throw .cannotCarry(
                    "Mounts", "\(mount.type) \(mount.source.isEmpty ? "(anonymous)" : mount.source) at \(mount.destination)",
                    why: "say how the target provides it: add `{destination: \(mount.destination), source: <host path>}` to `target.mounts`"
                )
            }
            options.append("--mount=type=bind,source=\(target.source),destination=\(target.destination)" + (mount.readWrite ? "" : ",readonly"))
        }
        if let first = entrypoint.first { options.append("--entrypoint=" + first) }
        options += environment.map { "--env=" + $0 }
        if !workingDirectory.isEmpty { options.append("--workdir=" + workingDirectory) }
        if !user.isEmpty { options.append("--user=" + user) }
        options += labels.keys.sorted().map { "--label=\($0)=\(labels[$0] ?? "")" }
        if !hostname.isEmpty { options.append("--hostname=" + hostname) }
        if tty { options.append("--tty") }
        if openStdin { options.append("--interactive") }
        if !restartPolicy.isEmpty, restartPolicy != "no" {
            options.append("--restart=" + restartPolicy + (restartPolicy == "on-failure" && restartRetries > 0 ? ":\(restartRetries)" : ""))
        }
        options += capAdd.map { "--cap-add=" + $0 }
        options += capDrop.map { "--cap-drop=" + $0 }
        options += securityOptions.map { "--security-opt=" + $0 }
        options += ulimits.map { "--ulimit=" + $0 }
        options += tmpfs.keys.sorted().map { path in
            let settings = tmpfs[path] ?? ""
            return "--tmpfs=" + path + (settings.isEmpty ? "" : ":" + settings)
        }
        for option in options where option.utf8.contains(0) {
            throw .malformed("the source's configuration holds a NUL byte in `\(option.prefix(60))`")
        }
        return options
    }

    /// What follows the image on `docker create`: the entrypoint's arguments, then the command.
    public var trailingArguments: [String] {
        Array(entrypoint.dropFirst()) + command
    }

    // MARK: The inspect JSON

    private struct Inspect: Decodable {
        var Image: String?
        var Config: ConfigJSON?
        var HostConfig: HostConfigJSON?
        var Mounts: [MountJSON]?
    }

    private struct ConfigJSON: Decodable {
        var Cmd: [String]?
        var Entrypoint: [String]?
        var Env: [String]?
        var WorkingDir: String?
        var User: String?
        var Labels: [String: String]?
        var Hostname: String?
        var Tty: Bool?
        var OpenStdin: Bool?
    }

    private struct HostConfigJSON: Decodable {
        struct Restart: Decodable {
            var Name: String?
            var MaximumRetryCount: Int?
        }

        struct Ulimit: Decodable {
            var Name: String
            var Soft: Int64
            var Hard: Int64
        }

        struct Device: Decodable {}
        struct Port: Decodable {}

        var RestartPolicy: Restart?
        var CapAdd: [String]?
        var CapDrop: [String]?
        var SecurityOpt: [String]?
        var Ulimits: [Ulimit]?
        var Tmpfs: [String: String]?
        var NetworkMode: String?
        var Privileged: Bool?
        var Devices: [Device]?
        var PortBindings: [String: [Port]?]?
        var Links: [String]?
        var PidMode: String?
        var IpcMode: String?
        var UTSMode: String?
    }

    private struct MountJSON: Decodable {
        var `Type`: String?
        var Source: String?
        var Destination: String?
        var RW: Bool?
    }
}

/// Why a migration cannot carry the source container to the target.
public enum MigrationRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting of the source that the target container cannot get.
    case cannotCarry(String, String, why: String)
    /// What the source engine reported is not usable.
    case malformed(String)

    public var description: String {
        switch self {
        case .cannotCarry(let field, let value, let why):
            "cannot migrate the container: its \(field) is `\(value)`: \(why)"
        case .malformed(let message):
            message
        }
    }
}
