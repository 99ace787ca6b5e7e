import Glibc
import SystemPackage

/// Unmounting, the one mount operation crplan does itself (mounting goes
/// through the plan's `mount` argv so a dry run can show it). No lazy
/// detach: a busy mount is an error the operator must see, not something
/// to hide.
public enum Mounts {
    /// `umount2(path, 0)`.
    public static func unmount(_ path: String) throws(UnmountError) {
        guard Glibc.umount2(path, 0) == 0 else {
            let code = Errno(rawValue: Glibc.errno)
            switch code {
            case .invalidArgument: throw .notMounted(path: path)
            case .resourceBusy: throw .busy(path: path)
            default: throw .failed(path: path, errno: code)
            }
        }
    }
}

/// Why an unmount failed.
public enum UnmountError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing is mounted at the path (EINVAL).
    case notMounted(path: String)
    /// Something still uses the mount (EBUSY): a process has its cwd or a file open there.
    case busy(path: String)
    case failed(path: String, errno: Errno)

    public var description: String {
        switch self {
        case .notMounted(let path): "cannot unmount \(path): not mounted"
        case .busy(let path): "cannot unmount \(path): it is busy (a process still uses it; see `fuser -m \(path)`)"
        case .failed(let path, let errno): "cannot unmount \(path): \(errno.description) (errno \(errno.rawValue))"
        }
    }

    /// The errno text, for messages that want only that.
    public var message: String {
        switch self {
        case .notMounted: "not mounted"
        case .busy: "busy"
        case .failed(_, let errno): errno.description
        }
    }
}
