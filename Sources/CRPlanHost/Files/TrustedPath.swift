import Glibc
import SystemPackage

/// Decides whether crplan, running as root, may create or write something
/// under a directory: only when no one but root (or crplan's own user)
/// could redirect it. `O_NOFOLLOW` protects the last component of a path;
/// this protects the directories above it, checked *before* anything is
/// created, so a planted symbolic link never gets folders made in its target.
///
/// The policy, component by component from `/`:
/// - a directory must be owned by root (or crplan's effective uid) and not
///   writable by group or others, except with the sticky bit (`/tmp`) when
///   it is not the directory written into itself;
/// - a symbolic link is followed only when root (or crplan's user) owns it
///   (it sits in a directory that passed the check above, so no one else
///   could have swapped it); its target is checked the same way. A state
///   dir or `/var/lib` on another disk through a root-owned link works;
/// - a component that does not exist yet ends the walk (crplan creates the
///   rest 0700).
public enum TrustedPath {
    /// The most symbolic links followed on one path (Linux allows 40).
    static let maximumLinks = 40

    /// Checks every existing component of `directory` (which crplan will
    /// write into or create under) and returns it with the trusted symbolic
    /// links on the way resolved. The directory itself, if it exists, must
    /// not be group/world writable; with `allowSticky` a sticky one (`/tmp`)
    /// passes, for a directory crplan creates its own (checked) folder in.
    ///
    /// With `refusingLinks`, a symbolic link anywhere on the path is refused
    /// (even root's), naming it, and so is a `.`, `..` or empty component:
    /// the path given must be the folder's real path, for commands whose
    /// operator names the folder (`crplan import DIR`, `crplan export ARCHIVE`).
    @discardableResult
    public static func checkDirectory(
        _ directory: String, allowSticky: Bool = false, refusingLinks: Bool = false
    ) throws(FileError) -> String {
        var links = 0
        if refusingLinks {
            let normalized = FilePath(directory).lexicallyNormalized().string
            guard normalized == directory else {
                throw .untrusted(
                    path: directory, reason: "it is not a plain path (`.`, `..`, `//` or a trailing `/`); give \(normalized) if that is meant")
            }
        }
        return try walk(directory, strictLast: !allowSticky, links: &links, refusingLinks: refusingLinks)
    }

    /// Checks the directory a file at `path` is created or replaced in.
    public static func checkParent(of path: String) throws(FileError) {
        guard let parent = DurableFiles.parentDirectory(of: FilePath(path)) else { return }
        try checkDirectory(parent.string)
    }

    /// Walks `path` from `/` and returns it resolved (links replaced by
    /// their checked targets; a missing rest appended as it is).
    static func walk(_ path: String, strictLast: Bool, links: inout Int, refusingLinks: Bool = false) throws(FileError) -> String {
        let normalized = FilePath(path).lexicallyNormalized()
        guard normalized.isAbsolute else {
            throw .untrusted(path: path, reason: "it is not an absolute path")
        }
        let components = normalized.components.map(\.string)
        try checkDirectoryEntry("/", strict: strictLast && components.isEmpty, shownAs: path)
        var current = "/"
        func joined(_ base: String, _ rest: ArraySlice<String>) -> String {
            rest.reduce(base) { $0 == "/" ? "/" + $1 : $0 + "/" + $1 }
        }
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            let next = joined(current, [component])
            guard let status = try DurableFiles.status(next) else {
                // Missing from here on: crplan creates the rest (0700).
                return joined(next, components[(index + 1)...])
            }
            switch status.kind {
            case .symbolicLink:
                if refusingLinks {
                    let target = (try? readLink(next)) ?? "?"
                    throw .untrusted(
                        path: next,
                        reason: "it is a symbolic link (to \(target)); crplan takes a folder's real path here, with no link on the "
                            + "way: give the path the link leads to if that is meant")
                }
                guard isTrustedOwner(status.ownerID) else {
                    throw .untrusted(
                        path: next,
                        reason: "it is a symbolic link owned by uid \(status.ownerID); crplan follows only links owned by root")
                }
                links += 1
                guard links <= maximumLinks else {
                    throw .untrusted(path: next, reason: "more than \(maximumLinks) symbolic links")
                }
                let target = try readLink(next)
                current = try walk(target.hasPrefix("/") ? target : joined(current, [target]), strictLast: strictLast && isLast, links: &links)
                guard try DurableFiles.status(current)?.kind == .directory else {
                    // A link to something missing: the rest would be created in its target.
                    return joined(current, components[(index + 1)...])
                }
            case .directory:
                try checkDirectoryEntry(next, strict: strictLast && isLast, shownAs: next, status: status)
                current = next
            default:
                throw .notADirectory(path: next)
            }
        }
        return current
    }

    static func checkDirectoryEntry(
        _ path: String, strict: Bool, shownAs: String, status known: FileStatus? = nil
    ) throws(FileError) {
        let found: FileStatus?
        if let known { found = known } else { found = try DurableFiles.status(path) }
        guard let status = found else { return }
        guard isTrustedOwner(status.ownerID) else {
            throw .untrusted(path: shownAs, reason: "\(path) is owned by uid \(status.ownerID), not by root")
        }
        let mode = status.permissions.rawValue
        if mode & 0o022 != 0 {
            let sticky = mode & 0o1000 != 0
            if strict || !sticky {
                throw .untrusted(
                    path: shownAs,
                    reason: "\(path) is writable by \(mode & 0o002 != 0 ? "everyone" : "its group") (mode "
                        + "\(String(mode, radix: 8))); crplan writes only in directories that only root can change")
            }
        }
    }

    static func isTrustedOwner(_ uid: UInt32) -> Bool {
        uid == 0 || uid == geteuid()
    }

    static func readLink(_ path: String) throws(FileError) -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
            guard let base = pointer.baseAddress else { return -1 }
            return Glibc.readlink(path, base, pointer.count - 1)
        }
        guard count >= 0 else {
            throw .system(operation: "read the symbolic link", path: path, errno: Errno(rawValue: Glibc.errno))
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
