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
