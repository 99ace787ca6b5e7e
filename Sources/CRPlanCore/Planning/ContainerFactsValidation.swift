/// Checks every value Docker reported (and crplan derived from it) before
/// any of it reaches a path, a mount option, a CRIU `KEY:VAL` argument or a
/// pid crplan acts on as root. Docker's answers are input like any other: a
/// comma in `UpperDir` would add mount options, a colon would split a CRIU
/// external-mount argument, `..` would move a directory crplan creates, an
/// `Id` of `..` would move the image dir. Pure: no file or process is read,
/// so it can run wherever the inspect output is decoded and on saved facts.
extension ContainerFacts {
    /// Longest container name accepted (Docker sets none; 255 is a file-name limit).
    public static let maximumNameLength = 255
    /// Longest path accepted (Linux `PATH_MAX` is 4096 including the NUL).
    public static let maximumPathLength = 4095
    /// Highest pid Linux can hand out (`PID_MAX_LIMIT` on 64-bit).
    public static let maximumPid = 4_194_304

    /// Throws the first problem found, naming the field and its value.
    /// - Parameter dockerHome: the plan's `docker.home`; every graph-driver
    ///   directory and the rootfs must lie below it, the `/etc` files below
    ///   `<dockerHome>/containers/<id>/`.
    public func validate(dockerHome: String) throws(FactsValidationError) {
        try Self.validateID(id)
        try Self.validateName(name)
        try Self.validatePid(pid, running: running)
        try Self.validateToken(status, field: "State.Status")
        try Self.validateToken(driver, field: "GraphDriver.Name")

        let home = Self.trimmingTrailingSlashes(dockerHome)
        try Self.validatePath(home, field: "docker.home", under: nil)
        if !self.dockerHome.isEmpty, Self.trimmingTrailingSlashes(self.dockerHome) != home {
            throw .dockerHomeMismatch(recorded: self.dockerHome, expected: home)
        }

        for key in Self.graphDriverPathKeys {
            guard let value = graphDriverData[key], !value.isEmpty else { continue }
            let field = "GraphDriver.Data.\(key)"
            if key == "LowerDir" {
                // A colon-separated list; each element is checked on its own
                // (so no element can hold a colon).
                for element in value.split(separator: ":", omittingEmptySubsequences: false) {
                    try Self.validatePath(String(element), field: field, under: home, whole: value)
                }
            } else {
                try Self.validatePath(value, field: field, under: home)
            }
        }

        let containerDirectory = home == "/" ? "/containers/\(id)" : "\(home)/containers/\(id)"
        for (field, value) in [("HostnamePath", hostnamePath), ("HostsPath", hostsPath), ("ResolvConfPath", resolvConfPath)]
        where !value.isEmpty {
            // Empty for a container that never started.
            try Self.validatePath(value, field: field, under: containerDirectory)
        }

        if !rootfs.isEmpty {
            // Empty for a driver external mode cannot serve (the inspect step refuses it).
            try Self.validatePath(rootfs, field: "rootfs", under: home)
        }

        // Read from mountinfo, passed to CRIU as `KEY:VAL`. The host directory
        // need not name the container (after a native restore it is the
        // hierarchy's root).
        for mount in cgroupMounts {
            try Self.validatePath(mount.path, field: "cgroup mount point", under: nil)
            try Self.validatePath(mount.hostPath, field: "cgroup host directory", under: nil)
        }

        for branch in aufsBranches {
            guard let equals = branch.lastIndex(of: "="),
                ["rw", "ro", "ro+wh"].contains(String(branch[branch.index(after: equals)...]))
            else {
                throw .malformedBranch(branch)
            }
            try Self.validatePath(String(branch[..<equals]), field: "aufs branch", under: home, whole: branch)
        }
    }

    /// Graph-driver keys holding directories crplan mounts or passes on.
    public static let graphDriverPathKeys = ["LowerDir", "UpperDir", "WorkDir", "MergedDir"]

    /// A full container id: 64 lowercase hex digits (never a prefix, never `..`).
    public static func validateID(_ id: String) throws(FactsValidationError) {
        guard id.utf8.count == 64, id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .notAFullID(id)
        }
    }

    /// Docker's name charset (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`), without its leading `/`, bounded.
    public static func validateName(_ name: String) throws(FactsValidationError) {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maximumNameLength, isAlphanumeric(first),
            bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
        else {
            throw .badName(name)
        }
    }

    /// A running container's init has a pid above 1 (never init itself, nor
    /// "no process"); a stopped one reports 0. Both within Linux's pid range.
    public static func validatePid(_ pid: Int, running: Bool) throws(FactsValidationError) {
        if running {
            guard pid > 1, pid <= maximumPid else { throw .badPid(pid, running: true) }
        } else {
            guard pid >= 0, pid <= maximumPid else { throw .badPid(pid, running: false) }
        }
    }

    /// A short word such as a status or a driver name: `[a-z0-9_-]`, at most 64 bytes.
    static func validateToken(_ value: String, field: String) throws(FactsValidationError) {
        guard value.utf8.count <= 64, value.utf8.allSatisfy({
            (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }) else {
            throw .badToken(field: field, value: value)
        }
    }

    /// An absolute, normalised path (no `.`/`..` component, no `//`, no
    /// trailing `/`), below `directory` when given, without a character
    /// that would change its meaning as a mount option or a CRIU `KEY:VAL`.
    /// - Parameter whole: the full value the path came from (a list), for the message.
    public static func validatePath(
        _ path: String, field: String, under directory: String?, whole: String? = nil
    ) throws(FactsValidationError) {
        let shown = whole ?? path
        guard path.utf8.count <= maximumPathLength else { throw .tooLong(field: field, value: shown, limit: maximumPathLength) }
        for scalar in path.unicodeScalars {
            if let reason = unsafeCharacterReason(scalar) {
                throw .unsafeCharacter(field: field, value: shown, character: scalar, reason: reason)
            }
        }
        guard path.hasPrefix("/") else { throw .notAbsolute(field: field, value: shown) }
        if path != "/" {
            let components = PathBytes.components(String(path.dropFirst()))
            for component in components where component.isEmpty || component == "." || component == ".." {
                throw .notNormalized(field: field, value: shown, component: String(component))
            }
        }
        if let directory {
            let prefix = directory == "/" ? "/" : directory + "/"
            guard path.hasPrefix(prefix), path.count > prefix.count else {
                throw .outside(field: field, value: shown, directory: directory)
            }
        }
    }

    /// Why `scalar` may not appear in a path crplan passes on, or nil.
    static func unsafeCharacterReason(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case ",": "it separates mount options (it would add options to the mount)"
        case ":": "it separates overlay lower directories and CRIU KEY:VAL arguments"
        case "=": "it separates a mount option's name from its value"
        case "\\", "\"": "the kernel's mount option parser treats it specially"
        case " ", "\t": "it is blank (mountinfo escapes it; crplan does not pass such paths on)"
        default: scalar.value < 0x20 || scalar.value == 0x7F ? "it is a control character" : nil
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func trimmingTrailingSlashes(_ path: String) -> String {
        var result = path
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }
}

/// A value in a container's facts that crplan refuses to act on. Each
/// message names the field (Docker's JSON name where it has one) and the
/// value, escaped, so an operator can compare it with `docker inspect`.
public enum FactsValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    case notAFullID(String)
    case badName(String)
    case badPid(Int, running: Bool)
    case badToken(field: String, value: String)
    case tooLong(field: String, value: String, limit: Int)
    case unsafeCharacter(field: String, value: String, character: Unicode.Scalar, reason: String)
    case notAbsolute(field: String, value: String)
    case notNormalized(field: String, value: String, component: String)
    case outside(field: String, value: String, directory: String)
    case dockerHomeMismatch(recorded: String, expected: String)
    case malformedBranch(String)

    public var description: String {
        let check = "check `docker inspect` of the container; crplan refuses to act on it as root"
        switch self {
        case .notAFullID(let id):
            return "Id \(Self.show(id)) is not a full container id (64 lowercase hex digits); \(check)"
        case .badName(let name):
            return "Name \(Self.show(name)) is not a Docker container name ([a-zA-Z0-9][a-zA-Z0-9_.-]*, "
                + "at most \(ContainerFacts.maximumNameLength) bytes); \(check)"
        case .badPid(let pid, let running):
            return running
                ? "State.Pid \(pid) cannot be the init of a running container (it must be above 1); \(check)"
                : "State.Pid \(pid) is out of range for a stopped container; \(check)"
        case .badToken(let field, let value):
            return "\(field) \(Self.show(value)) is not a plain word ([a-z0-9_-], at most 64 bytes); \(check)"
        case .tooLong(let field, let value, let limit):
            return "\(field) \(Self.show(value)) is longer than \(limit) bytes; \(check)"
        case .unsafeCharacter(let field, let value, let character, let reason):
            return "\(field) \(Self.show(value)) holds \(Self.show(String(character))), which crplan never passes on "
                + "in a path: \(reason); \(check)"
        case .notAbsolute(let field, let value):
            return "\(field) \(Self.show(value)) is not an absolute path; \(check)"
        case .notNormalized(let field, let value, let component):
            let what = component.isEmpty ? "an empty component (`//` or a trailing `/`)" : "a `\(component)` component"
            return "\(field) \(Self.show(value)) has \(what): crplan only uses normalised paths; \(check)"
        case .outside(let field, let value, let directory):
            return "\(field) \(Self.show(value)) is not below \(directory); \(check) (and that docker.home is Docker's data root)"
        case .dockerHomeMismatch(let recorded, let expected):
            return "the facts were read with docker.home \(Self.show(recorded)) but the plan says \(Self.show(expected)): "
                + "set docker.home to the data root the container lives in"
        case .malformedBranch(let branch):
            return "aufs branch \(Self.show(branch)) is not `<path>=rw|ro|ro+wh`; check <docker.home>/aufs/layers"
        }
    }

    /// The value in backquotes, control characters escaped, cut at 200 characters.
    static func show(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return "`" + result + (value.unicodeScalars.count > 200 ? "…" : "") + "`"
    }
}
