/// A check the executor makes before it runs one command of a step.
///
/// Mounting must be idempotent (a resumed run may find the root already
/// rebuilt) and must never mount over something else, and `criu restore`
/// must find its pidfile absent; these guards say so as data, so that the
/// dry run prints them and the executor needs no per-driver knowledge.
public enum CommandGuard: Sendable, Hashable, Codable {
    /// Skip the command when `target` is already a mount point of file system
    /// type `fsType` whose super options contain `options` (when given), as
    /// `/proc/self/mountinfo` shows it. When `target` is a mount point of
    /// another kind, refuse: never mount over something else.
    case skipIfMounted(target: Template, fsType: String, options: Template?)
    /// Skip the command when `path` is already a mount point of any kind.
    case skipIfMountPoint(path: Template)
    /// Refuse (fail the step) unless `path` is an existing directory.
    case requireDirectory(path: Template)
    /// The command opens `path` with O_EXCL (`criu restore --pidfile`): if a
    /// file is there from an earlier attempt whose pid is not alive, move it
    /// aside (never delete it) before running; refuse if its pid is alive.
    case clearStaleFile(path: Template)
}

extension CommandGuard {
    /// For a mount guard: true when `entry`, the mount found at its target, is
    /// the mount the command makes: same file-system type and every option
    /// the command passes among the super options mountinfo shows. Nil for
    /// guards that are not about a mount.
    public func isSatisfied(by entry: MountEntry) -> Bool? {
        switch self {
        case .skipIfMounted(_, let fsType, let options):
            guard entry.fileSystemType == fsType else { return false }
            guard let wanted = options?.literalValue else { return true }
            let present = Set(entry.superOptions)
            return wanted.split(separator: ",").allSatisfy { present.contains(String($0)) }
        case .skipIfMountPoint:
            return true
        case .requireDirectory, .clearStaleFile:
            return nil
        }
    }

    /// The mount point a mount guard is about.
    public var mountTarget: Template? {
        switch self {
        case .skipIfMounted(let target, _, _), .skipIfMountPoint(let target): target
        case .requireDirectory, .clearStaleFile: nil
        }
    }
}
