/// What `open-archive` decides from the printed commands' output before it
/// unpacks anything, in pure code: whether the archive can be trusted (a
/// regular file owned by root in folders only root can change), how many
/// decompressed bytes it may produce, and whether the staging folder's file
/// system has room for them. An archive comes from another machine (a CI
/// artifact): its compressed size says little about what it expands to, so
/// the expansion is cut at a stated ratio and the disk must hold that much.
public enum ArchiveOpening {
    /// Decompressed bytes allowed per archive byte (zstd reaches about 10 on
    /// CRIU images here; a larger ratio is treated as a decompression bomb).
    public static let ratio: Int64 = 64
    /// The bound for a small archive, whatever its size.
    public static let minimumBound: Int64 = 256 << 20
    /// Room left on the staging file system beyond the bound.
    public static let freeSpaceMargin: Int64 = 64 << 20

    /// The bytes `head -c` lets through: `ratio` times the archive's size, at
    /// least `minimumBound`, at most the limits' largest tar, plus one so a
    /// cut never falls on a tar block boundary (tar then reports the
    /// truncation instead of ending quietly).
    public static func unpackBound(archiveSize: Int64, limits: ArchiveLimits = .standard) -> Int64 {
        let (scaled, overflow) = max(0, archiveSize).multipliedReportingOverflow(by: ratio)
        let bound = overflow ? limits.maximumTarSize : min(limits.maximumTarSize, max(minimumBound, scaled))
        return bound + 1
    }

    /// `/`, then each folder above `path` (absolute, normalised), the path last:
    /// the operands of the printed `stat`.
    public static func pathsToCheck(_ path: String) -> [String] {
        var result = ["/"]
        var current = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + component
            result.append(current)
        }
        return result
    }

    /// Checks `stat --format=%F:%u:%a:%s` of `pathsToCheck(archive)` (one
    /// line each, in order) and returns the archive's size. Refuses a link
    /// anywhere, a folder not owned by root or writable by group or others
    /// (a sticky one, such as `/tmp`, is allowed above the archive's own
    /// folder), and an archive that is not a regular file owned by root and
    /// writable by root only.
    public static func checkTrust(statOutput: String, archive: String) throws(ArchiveOpeningError) -> Int64 {
        let paths = pathsToCheck(archive)
        var lines = statOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.count == paths.count, paths.count >= 2 else {
            throw .untrusted(archive, "`stat` printed \(lines.count) lines for \(paths.count) paths")
        }
        var size: Int64 = 0
        for (index, (path, line)) in zip(paths, lines).enumerated() {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let uid = Int(fields[1]), let mode = Int(fields[2], radix: 8), let bytes = Int64(fields[3]) else {
                throw .untrusted(archive, "`stat` printed `\(line.prefix(120))` for \(path), not TYPE:UID:MODE:SIZE")
            }
            let type = fields[0]
            let isArchive = index == paths.count - 1
            let isOwnFolder = index == paths.count - 2
            if isArchive {
                guard type == "regular file" || type == "regular empty file" else {
                    throw .untrusted(archive, "it is a \(type), not a regular file (a link is never followed)")
                }
                guard uid == 0 else { throw .untrusted(archive, "it is owned by uid \(uid), not root: whoever owns it could change it") }
                guard mode & 0o022 == 0 else {
                    throw .untrusted(archive, "its mode \(String(mode, radix: 8)) lets group or others write it")
                }
                size = bytes
            } else {
                guard type == "directory" else {
                    throw .untrusted(archive, "\(path) is a \(type), not a folder (a link in the archive's path is never followed)")
                }
                guard uid == 0 else {
                    throw .untrusted(archive, "the folder \(path) is owned by uid \(uid), not root: whoever owns it could swap the archive")
                }
                let sticky = mode & 0o1000 != 0
                guard mode & 0o022 == 0 || (sticky && !isOwnFolder) else {
                    throw .untrusted(archive, "the folder \(path) (mode \(String(mode, radix: 8))) lets group or others write in it"
                        + (sticky && isOwnFolder ? " (a sticky folder is fine above the archive's own folder, not as it)" : ""))
                }
            }
        }
        return size
    }

    /// The free bytes `df --output=avail --block-size=1` printed (a header line, then the number).
    public static func freeBytes(dfOutput: String) throws(ArchiveOpeningError) -> Int64 {
        let lines = dfOutput.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count == 2, let free = Int64(lines[1].trimmingCharacters(in: " \t")) else {
            throw .freeSpace("`df` printed `\(dfOutput.prefix(120))`, not a header and a number of bytes")
        }
        return free
    }

    /// Refuses a staging file system with less than `bound` plus the margin free.
    public static func checkFreeSpace(_ free: Int64, bound: Int64, folder: String) throws(ArchiveOpeningError) {
        let (needed, overflow) = bound.addingReportingOverflow(freeSpaceMargin)
        guard !overflow, free >= needed else {
            throw .freeSpace("\(folder) has \(free) bytes free, but unpacking the archive may take up to \(bound) bytes "
                + "(\(ratio) times its size, at least \(minimumBound)) plus \(freeSpaceMargin) to spare: free space there or choose another imageDir")
        }
    }
}

/// Why `open-archive` refuses an archive before unpacking it.
public enum ArchiveOpeningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The archive or a folder above it could be changed by someone other than root.
    case untrusted(String, String)
    /// The staging file system lacks room, or `df` said something else.
    case freeSpace(String)

    public var description: String {
        switch self {
        case .untrusted(let archive, let reason):
            "the archive \(archive) is refused: \(reason); crplan runs as root and unpacks only an archive root alone could have "
                + "placed (e.g. `install -o root -m 0600 FILE /var/lib/crplan/archives/`)"
        case .freeSpace(let reason):
            reason
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
