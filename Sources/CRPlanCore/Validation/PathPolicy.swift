/// Where crplan, running as root, may write and what it may bind into a
/// container: the places a plan value must never name.
///
/// Works on the literal start of a path (up to its first variable), so
/// `/etc/${container.id}` is judged and `${container.dir}/hosts` is not.
enum PathPolicy {
    /// Top-level directories holding the system or the kernel's interfaces:
    /// nothing crplan writes may land in or below them.
    static let systemTrees: Set<String> = ["proc", "sys", "dev", "etc", "boot", "usr", "bin", "sbin"]

    /// Other top-level directories: files may go below them, but the
    /// directory itself is no image directory, pid file or Docker home.
    static let topLevelDirectories: Set<String> = [
        "var", "run", "root", "home", "opt", "srv", "tmp", "mnt", "media", "snap", "lost+found",
    ]

    /// System state folders that are no place for crplan's files as a
    /// whole: files may go below them (`/var/lib/crplan/staging`), but the
    /// folder itself would mix crplan's files with everyone else's.
    static let broadStateFolders: Set<String> = ["/var/lib", "/var/cache", "/var/log", "/var/spool", "/var/lib/crplan"]

    /// Folders holding other programs' (or crplan's own) state: nothing
    /// crplan writes may land in or below them. Each with what it holds.
    static let foreignStateTrees: [(path: String, holds: String)] = [
        ("/var/lib/crplan/runs", "crplan's own run journals"),
        ("/var/lib/containerd", "containerd's state"),
        ("/var/lib/containers", "podman's and CRI-O's storage"),
        ("/var/lib/kubelet", "the kubelet's state"),
        ("/var/lib/etcd", "etcd's data"),
        ("/var/lib/dpkg", "the package manager's database"),
        ("/var/lib/apt", "the package manager's state"),
        ("/var/lib/rpm", "the package manager's database"),
        ("/var/lib/systemd", "systemd's state"),
        ("/var/spool", "queued mail, print and cron jobs"),
        ("/var/mail", "mailboxes"),
    ]

    /// Why a path is no place to write, or nil.
    enum Problem: Equatable {
        case root
        case systemTree(String)
        case topLevelDirectory(String)
        case sshDirectory
        case broadStateFolder(String)
        case foreignState(String, holds: String)

        var description: String {
            switch self {
            case .root: "`/` itself"
            case .systemTree(let name): "in the system directory `/\(name)`"
            case .topLevelDirectory(let name): "the top-level directory `/\(name)` itself"
            case .sshDirectory: "in an `.ssh` directory, which holds login keys"
            case .broadStateFolder(let path): "the system state folder `\(path)` itself, shared with every other program"
            case .foreignState(let path, let holds): "in `\(path)`, which holds \(holds)"
            }
        }
    }

    /// The known components of `path`'s literal start; `complete` is true
    /// when the path has no variable, so its last component is known too.
    static func components(_ literal: String, complete: Bool) -> [Substring] {
        var parts = PathBytes.components(literal, omittingEmpty: true)
        if !complete, !literal.hasSuffix("/"), !parts.isEmpty { parts.removeLast() }
        return parts
    }

    /// For paths crplan writes: `imageDir`, `restore.pidfile`.
    static func writtenPathProblem(_ literal: String, complete: Bool) -> Problem? {
        let parts = components(literal, complete: complete)
        if complete, parts.isEmpty, literal.hasPrefix("/") { return .root }
        if let first = parts.first {
            if isSystemTree(first) { return .systemTree(String(first)) }
            if complete, parts.count == 1, topLevelDirectories.contains(String(first)) { return .topLevelDirectory(String(first)) }
        }
        if parts.contains(".ssh") { return .sshDirectory }
        return stateFolderProblem(parts, complete: complete)
    }

    /// `broadStateFolders` (exactly, when the path is complete) and
    /// `foreignStateTrees` (at or below).
    static func stateFolderProblem(_ parts: [Substring], complete: Bool) -> Problem? {
        let joined = "/" + parts.joined(separator: "/")
        if complete, broadStateFolders.contains(joined) { return .broadStateFolder(joined) }
        for tree in foreignStateTrees {
            let treeParts = PathBytes.components(tree.path, omittingEmpty: true)
            if parts.count >= treeParts.count, Array(parts.prefix(treeParts.count)) == treeParts {
                return .foreignState(tree.path, holds: tree.holds)
            }
        }
        return nil
    }

    /// Folders any user may create files in: an archive written straight
    /// into one can be raced (a planted link, a file at its name). crplan's
    /// write-archive refuses them; the lint says so before the run.
    static let worldWritableFolders: Set<String> = ["/tmp", "/var/tmp", "/dev/shm", "/run/shm", "/run/lock", "/var/lock", "/var/crash"]

    /// The world-writable folder a complete `path` is written straight into, or nil.
    static func worldWritableParent(of path: String) -> String? {
        let parts = PathBytes.components(canonical(path), omittingEmpty: true)
        guard parts.count >= 2 else { return nil }
        let parent = "/" + parts.dropLast().joined(separator: "/")
        return worldWritableFolders.contains(parent) ? parent : nil
    }

    /// Migrate: why `literal` (the literal start of `imageDir`, or a run's
    /// whole staging dir) is no place to stage a checkpoint, or nil: the
    /// places `writtenPathProblem` refuses, and anything at or below one of
    /// `dockerHomes` (the source's and the target's data roots), whose files
    /// would be tarred here and, over ssh, unpacked as root there.
    static func stagingProblem(_ literal: String, complete: Bool, dockerHomes: [String]) -> String? {
        if let problem = writtenPathProblem(literal, complete: complete) { return problem.description }
        let parts = components(literal, complete: complete)
        for home in dockerHomes {
            let homeParts = PathBytes.components(canonical(home), omittingEmpty: true)
            guard !homeParts.isEmpty, parts.count >= homeParts.count, Array(parts.prefix(homeParts.count)) == homeParts else { continue }
            return "inside the Docker data root `\(canonical(home))`, whose files must never be staged, sent or unpacked over"
        }
        return nil
    }

    /// For `docker.home`: not `/`, a system directory or a top-level
    /// directory, nor anything under `/proc`, `/sys`, `/dev`.
    static func dockerHomeProblem(_ literal: String, complete: Bool) -> Problem? {
        let parts = components(literal, complete: complete)
        if complete, parts.isEmpty, literal.hasPrefix("/") { return .root }
        guard let first = parts.first else { return nil }
        let name = String(first)
        if ["proc", "sys", "dev"].contains(name) { return .systemTree(name) }
        if complete, parts.count == 1 {
            if isSystemTree(first) { return .systemTree(name) }
            if topLevelDirectories.contains(name) { return .topLevelDirectory(name) }
        }
        if parts.contains(".ssh") { return .sshDirectory }
        return nil
    }

    /// `lib`, `lib32`, `lib64`, `libx32` and the other trees above.
    static func isSystemTree(_ name: Substring) -> Bool {
        systemTrees.contains(String(name)) || name.hasPrefix("lib")
    }

    /// Mount points inside the container CRIU must not treat as external.
    static let containerMountPoints: Set<String> = ["/", "/proc", "/sys", "/dev"]

    /// Why binding the host path `literal` into a container is unsafe, or nil.
    static func mountSourceProblem(_ literal: String, complete: Bool) -> String? {
        let parts = components(literal, complete: complete)
        if complete, parts.isEmpty, literal.hasPrefix("/") { return "it would bind the host's whole file system into the container" }
        guard let first = parts.first.map(String.init) else { return nil }
        if ["proc", "sys"].contains(first) { return "it would give the container the host's `/\(first)`, the kernel's controls" }
        if complete, parts.count == 1, ["dev", "etc", "boot", "root"].contains(first) {
            return "it would give the container the host's whole `/\(first)`"
        }
        if first == "root" { return "it would give the container root's home directory" }
        if parts.contains(".ssh") { return "it would give the container login keys" }
        let joined = "/" + parts.joined(separator: "/")
        if complete, secretFiles.contains(joined) { return "it would give the container the host's `\(joined)`" }
        if complete, let last = parts.last, ["docker.sock", "containerd.sock"].contains(last) {
            return "it would give the container the Docker socket, which controls the host as root"
        }
        return nil
    }

    static let secretFiles: Set<String> = [
        "/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers", "/etc/sudoers.d", "/etc/ssh",
        "/etc/crplan", "/var/lib/crplan",
    ]

    /// `path` without `//`, `.` segments and a trailing `/` (`..` stays:
    /// resolving it needs the file system).
    static func canonical(_ path: String) -> String {
        let parts = PathBytes.components(path, omittingEmpty: true).filter { $0 != "." }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Byte offset and a description of the first non-canonical spot in a
    /// literal piece of a path: `//`, a `.` segment, or a trailing `/`.
    /// `isStart`/`isEnd`: the piece starts/ends the path.
    static func nonCanonicalOffset(_ text: String, isStart: Bool, isEnd: Bool) -> (offset: Int, what: String)? {
        let bytes = Array(text.utf8)
        let slash = UInt8(ascii: "/")
        for index in bytes.indices {
            if bytes[index] == slash, index + 1 < bytes.count, bytes[index + 1] == slash { return (index, "`//`") }
            if bytes[index] == UInt8(ascii: "."), index > 0, bytes[index - 1] == slash,
               index + 1 == bytes.count ? isEnd : bytes[index + 1] == slash {
                return (index, "a `.` segment")
            }
        }
        if isEnd, bytes.last == slash, !(isStart && bytes.count == 1) {
            return (bytes.count - 1, "a trailing `/`")
        }
        return nil
    }
}
