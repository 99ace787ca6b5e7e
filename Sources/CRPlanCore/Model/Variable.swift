/// A `${...}` variable a plan may use in paths and names.
///
/// Variables fall in two groups: those known when the plan is compiled
/// (environment, plan name, Docker home, image dir) and those that only
/// inspecting the live container can give; the compiled graph keeps the
/// latter symbolic until the `inspect` step binds them.
public enum Variable: Sendable, Hashable, Codable, CustomStringConvertible {
    case containerID
    case containerName
    case containerPid
    case containerDir
    case containerRootfs
    case dockerHome
    case imageDir
    case planName
    /// `${env.NAME}` or `${env.NAME:-default}`; the default is itself a template.
    case environment(name: String, fallback: Template?)
    /// Internal runtime values used by compiled steps (never written in plans):
    /// the overlay layers and the aufs branch list saved by `inspect`.
    case rootfsLowerDir
    case rootfsUpperDir
    case rootfsWorkDir
    case rootfsBranches
    /// Where the container's writes are: the overlay upper dir, or the vfs root.
    case rootfsWritable
    /// Internal values of `operation: migrate` that the target engine and the
    /// source's full `docker inspect` give: the source's image id, and the
    /// container created on the target and its root.
    case sourceImage
    case targetID
    case targetDriver
    case targetRootfs
    /// The mode of the source container's root (CRIU checks the target's against it).
    case sourceRootMode
    /// Migrate: the id of the run (journaled with the facts), which names its
    /// own staging folder `<imageDir>/<run id>`, fresh for each run and found
    /// again by a resume of the same run.
    case runID
    /// Restore from an archive: how many bytes of the archive's decompressed
    /// tar `open-archive` lets through (`head -c`), from the archive's size
    /// (`ArchiveUnpackBound`); bound by that step only, never journaled.
    case archiveUnpackBound

    /// The names a plan author may write, in the order they are documented.
    public static let documentedNames = [
        "container.id", "container.name", "container.pid", "container.dir",
        "container.rootfs", "docker.home", "imageDir", "plan.name", "env.NAME",
    ]

    /// Parses the text between `${` and `}`; nil if it names no variable.
    public init?(expression: String) throws(TemplateError) {
        if expression.hasPrefix("env.") {
            let body = expression.dropFirst(4)
            let name: Substring
            var fallback: Template?
            if let colon = body.firstIndex(of: ":"), body[body.index(after: colon)...].first == "-" {
                name = body[..<colon]
                fallback = try Template(parsing: String(body[body.index(colon, offsetBy: 2)...]))
            } else {
                name = body
            }
            guard Variable.isEnvironmentName(name) else {
                throw TemplateError.badEnvironmentName(String(name))
            }
            self = .environment(name: String(name), fallback: fallback)
            return
        }
        switch expression {
        case "container.id": self = .containerID
        case "container.name": self = .containerName
        case "container.pid": self = .containerPid
        case "container.dir": self = .containerDir
        case "container.rootfs": self = .containerRootfs
        case "docker.home": self = .dockerHome
        case "imageDir": self = .imageDir
        case "plan.name": self = .planName
        case "rootfs.lowerdir": self = .rootfsLowerDir
        case "rootfs.upperdir": self = .rootfsUpperDir
        case "rootfs.workdir": self = .rootfsWorkDir
        case "rootfs.branches": self = .rootfsBranches
        case "rootfs.writable": self = .rootfsWritable
        case "source.rootMode": self = .sourceRootMode
        case "source.image": self = .sourceImage
        case "target.id": self = .targetID
        case "target.driver": self = .targetDriver
        case "target.rootfs": self = .targetRootfs
        case "run.id": self = .runID
        case "archive.unpackBound": self = .archiveUnpackBound
        default: return nil
        }
    }

    static func isEnvironmentName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else {
            return false
        }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (0x30...0x39).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// True for the internal variables that plans may not use.
    public var isInternal: Bool {
        switch self {
        case .rootfsLowerDir, .rootfsUpperDir, .rootfsWorkDir, .rootfsBranches, .rootfsWritable, .sourceImage, .targetID, .targetDriver, .targetRootfs, .sourceRootMode,
             .runID, .archiveUnpackBound: true
        default: false
        }
    }

    /// True for the migrate values the source container's facts do not give;
    /// binding keeps them symbolic until the migration knows them.
    public var isMigrationValue: Bool {
        switch self {
        case .sourceImage, .targetID, .targetDriver, .targetRootfs, .sourceRootMode, .runID, .archiveUnpackBound: true
        default: false
        }
    }

    /// True for values that only the live container (or its saved facts) can give.
    public var isRuntime: Bool {
        switch self {
        case .containerID, .containerName, .containerPid, .containerDir, .containerRootfs,
             .rootfsLowerDir, .rootfsUpperDir, .rootfsWorkDir, .rootfsBranches, .rootfsWritable, .sourceImage, .targetID, .targetDriver,
             .targetRootfs, .sourceRootMode, .runID, .archiveUnpackBound:
            true
        case .dockerHome, .imageDir, .planName, .environment:
            false
        }
    }

    public var description: String {
        switch self {
        case .containerID: "container.id"
        case .containerName: "container.name"
        case .containerPid: "container.pid"
        case .containerDir: "container.dir"
        case .containerRootfs: "container.rootfs"
        case .dockerHome: "docker.home"
        case .imageDir: "imageDir"
        case .planName: "plan.name"
        case .environment(let name, let fallback):
            if let fallback { "env.\(name):-\(fallback)" } else { "env.\(name)" }
        case .rootfsLowerDir: "rootfs.lowerdir"
        case .rootfsUpperDir: "rootfs.upperdir"
        case .rootfsWorkDir: "rootfs.workdir"
        case .rootfsBranches: "rootfs.branches"
        case .rootfsWritable: "rootfs.writable"
        case .sourceRootMode: "source.rootMode"
        case .sourceImage: "source.image"
        case .targetID: "target.id"
        case .targetDriver: "target.driver"
        case .targetRootfs: "target.rootfs"
        case .runID: "run.id"
        case .archiveUnpackBound: "archive.unpackBound"
        }
    }

    // Codable as its `${...}` spelling.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let variable = try Variable(expression: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown variable \(text)"))
        }
        self = variable
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
