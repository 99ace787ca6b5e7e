/// Why a `Host` operation failed, with the path or command it concerned,
/// so the executor can say what went wrong without guessing.
public enum HostError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or directory does not exist.
    case notFound(path: String)
    /// A path component is a symbolic link; the host never follows them.
    case symbolicLink(path: String)
    /// Any other file-system or system-call failure.
    case io(operation: String, path: String, message: String)
    /// Another process holds the lock; `holderPID` is what it wrote in the lock file.
    case locked(path: String, holderPID: Int?)
    /// The program could not be started at all (not found, not executable).
    case launchFailed(program: String, message: String)
    /// Docker knows no container by this reference.
    case containerNotFound(reference: String)
    /// The reference is a prefix or name matching several containers.
    case ambiguousContainer(reference: String, candidates: [String])
    /// `docker inspect` failed or printed something crplan cannot decode.
    case docker(message: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            "\(path): no such file or directory"
        case .symbolicLink(let path):
            "\(path) is a symbolic link; crplan does not follow symbolic links in its paths"
        case .io(let operation, let path, let message):
            "cannot \(operation) \(path): \(message)"
        case .locked(let path, let holderPID):
            if let holderPID {
                "\(path) is locked by process \(holderPID)"
            } else {
                "\(path) is locked by another process"
            }
        case .launchFailed(let program, let message):
            "cannot start \(program): \(message)"
        case .containerNotFound(let reference):
            "Docker knows no container `\(reference)`"
        case .ambiguousContainer(let reference, let candidates):
            candidates.isEmpty
                ? "`\(reference)` matches several containers: use the full id (`docker ps -a --no-trunc` lists them)"
                : "`\(reference)` matches several containers (\(candidates.joined(separator: ", "))): use the full id"
        case .docker(let message):
            "docker inspect failed: \(message)"
        }
    }
}
