import CRPlanCore
import SystemPackage

/// One line of `/proc/<pid>/mountinfo`, with the kernel's octal escapes
/// (`\040` for a space, `\134` for a backslash, ...) decoded. crplan reads
/// these lines to learn which container mounts CRIU must be told are
/// external, where they live on the host, and what is mounted where.
public struct MountInfoEntry: Sendable, Hashable {
    public var mountID: Int
    public var parentID: Int
    /// `major:minor` of the file system (field 3): identical on the host and
    /// in a container for the same superblock.
    public var device: String
    /// The root of this mount inside its file system (field 4; a bind mount's source subdirectory).
    public var root: String
    /// Where it is mounted, relative to the reading process's root (field 5).
    public var mountPoint: String
    /// Per-mount options (field 6, e.g. `rw`, `relatime`).
    public var mountOptions: [String]
    /// Optional fields before the ` - ` separator (`shared:1`, `master:3`, ...).
    public var optionalFields: [String]
    public var fileSystemType: String
    /// Mount source (`overlay`, `/dev/vda`, `tmpfs`, ...).
    public var source: String
    /// Per-superblock options split at commas (`lowerdir=...`, `upperdir=...`), each unescaped.
    public var superOptions: [String]

    public init(
        mountID: Int, parentID: Int, device: String, root: String, mountPoint: String,
        mountOptions: [String] = [], optionalFields: [String] = [], fileSystemType: String,
        source: String, superOptions: [String] = []
    ) {
        self.mountID = mountID
        self.parentID = parentID
        self.device = device
        self.root = root
        self.mountPoint = mountPoint
        self.mountOptions = mountOptions
        self.optionalFields = optionalFields
        self.fileSystemType = fileSystemType
        self.source = source
        self.superOptions = superOptions
    }

    /// The line as the `Host` protocol's `MountEntry` (which also looks up super options).
    public var mountEntry: MountEntry {
        MountEntry(
            mountPoint: mountPoint, root: root, fileSystemType: fileSystemType, source: source,
            superOptions: superOptions)
    }

    /// True for cgroup v1 and v2 hierarchies.
    public var isCgroup: Bool { fileSystemType == "cgroup" || fileSystemType == "cgroup2" }

    /// Parses one mountinfo line:
    /// `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`.
    public static func parse(line: Substring, number: Int = 1) throws(MountInfoError) -> MountInfoEntry {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let separator = fields.firstIndex(of: "-"), separator >= 6, fields.count >= separator + 3,
            let mountID = Int(fields[0]), let parentID = Int(fields[1]), fields[2].contains(":")
        else { throw .malformed(line: number, text: String(line)) }
        return MountInfoEntry(
            mountID: mountID,
            parentID: parentID,
            device: String(fields[2]),
            root: unescape(fields[3]),
            mountPoint: unescape(fields[4]),
            mountOptions: fields[5].split(separator: ",").map { unescape($0) },
            optionalFields: fields[6..<separator].map { String($0) },
            fileSystemType: unescape(fields[separator + 1]),
            source: unescape(fields[separator + 2]),
            superOptions: fields.count > separator + 3
                ? fields[separator + 3].split(separator: ",").map { unescape($0) } : []
        )
    }

    /// Decodes the kernel's `\ooo` octal escapes (space, tab, newline, backslash, and
    /// in super options also `,` and `=`); other text is kept as is.
    public static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count {
                let digits = utf8[(index + 1)...(index + 3)]
                let octal = UInt8(ascii: "0")...UInt8(ascii: "7")
                if digits.allSatisfy({ octal.contains($0) }) {
                    let value = digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
                    if value <= 255 {
                        bytes.append(UInt8(value))
                        index += 4
                        continue
                    }
                }
            }
            bytes.append(utf8[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A parsed `/proc/<pid>/mountinfo`: the lookups crplan needs on it.
public struct MountTable: Sendable, Hashable {
    /// In kernel order: a later mount at the same point hides an earlier one.
    public var entries: [MountInfoEntry]

    public init(entries: [MountInfoEntry]) {
        self.entries = entries
    }

    /// Parses the whole file; blank lines are ignored, anything else malformed is an error.
    public init(parsing text: String) throws(MountInfoError) {
        var entries: [MountInfoEntry] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            entries.append(try MountInfoEntry.parse(line: line, number: offset + 1))
        }
        self.entries = entries
    }

    /// Reads `/proc/<pid>/mountinfo` (`pid` nil: `/proc/self/mountinfo`, crplan's own mount namespace).
    public static func read(pid: Int32? = nil, procRoot: String = "/proc") throws(MountInfoError) -> MountTable {
        let path = "\(procRoot)/\(pid.map(String.init) ?? "self")/mountinfo"
        let bytes: [UInt8]
        do {
            bytes = try DurableFiles.read(path, limit: 16 << 20)
        } catch {
            throw .file(error)
        }
        return try MountTable(parsing: String(decoding: bytes, as: UTF8.self))
    }

    /// The visible (topmost) mount whose mount point is exactly `path`
    /// (compared after lexical normalisation; symbolic links are not resolved).
    public func mount(at path: String) -> MountInfoEntry? {
        let wanted = Self.normalize(path)
        return entries.last { Self.normalize($0.mountPoint) == wanted }
    }

    /// True when something is mounted exactly at `path`.
    public func isMountPoint(_ path: String) -> Bool {
        mount(at: path) != nil
    }

    /// The root mount (`/`) of the namespace this table was read from. For a
    /// container's init on vfs, its `root` field is the container's directory
    /// under `<docker home>/vfs/dir/`, relative to that file system's root.
    public var rootMount: MountInfoEntry? {
        mount(at: "/")
    }

    /// Where the file system content that `entry` (a line of another mount
    /// namespace, e.g. a container's) shows is reachable in the namespace of
    /// this table (the host): a mount here of the same device whose root
    /// contains `entry.root`, joined with the rest of `entry.root`. The most
    /// specific root wins (a mount of `/` when nothing closer exists).
    /// For a cgroup v1 line `0:29 /docker/<id>` and a host line `0:29 /` at
    /// `/sys/fs/cgroup/cpu` that is `/sys/fs/cgroup/cpu/docker/<id>`.
    public func hostPath(of entry: MountInfoEntry) -> String? {
        var best: MountInfoEntry?
        for candidate in entries where candidate.device == entry.device {
            guard Self.isPrefix(candidate.root, of: entry.root) else { continue }
            if best == nil || candidate.root.count > (best?.root.count ?? 0) { best = candidate }
        }
        guard let best else { return nil }
        let rest = best.root == "/" ? entry.root : String(entry.root.dropFirst(best.root.count))
        if rest.isEmpty || rest == "/" { return best.mountPoint }
        return best.mountPoint == "/" ? rest : best.mountPoint + rest
    }

    /// The cgroup mounts of a container (`self` is the container's
    /// mountinfo) with the host directory bound at each, found in
    /// `host` (crplan's own mountinfo) by device and root; see
    /// `hostPath(of:)`. These are the mounts CRIU must be told are external.
    public func cgroupMounts(host: MountTable) throws(MountInfoError) -> [CgroupMount] {
        var mounts: [CgroupMount] = []
        for entry in entries where entry.isCgroup {
            guard let hostPath = host.hostPath(of: entry) else {
                throw .noHostMount(mountPoint: entry.mountPoint, device: entry.device, root: entry.root)
            }
            mounts.append(CgroupMount(path: entry.mountPoint, hostPath: hostPath))
        }
        return mounts
    }

    static func normalize(_ path: String) -> String {
        let normalized = FilePath(path).lexicallyNormalized().string
        return normalized.isEmpty ? path : normalized
    }

    static func isPrefix(_ root: String, of path: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root + "/")
    }
}

/// Why a mount table could not be read or used.
public enum MountInfoError: Error, Sendable, Hashable, CustomStringConvertible {
    case file(FileError)
    case malformed(line: Int, text: String)
    /// A container mount whose file system crplan cannot find mounted on the host.
    case noHostMount(mountPoint: String, device: String, root: String)

    public var description: String {
        switch self {
        case .file(let error):
            error.description
        case .malformed(let line, let text):
            "mountinfo line \(line) is not in the expected format: \(text)"
        case .noHostMount(let mountPoint, let device, let root):
            "the container's \(mountPoint) (device \(device), root \(root)) is not mounted anywhere in crplan's "
                + "mount namespace, so its host path is unknown; is the hierarchy mounted on the host?"
        }
    }
}
