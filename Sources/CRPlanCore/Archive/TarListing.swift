/// One line of GNU tar's verbose listing (`tar --list --verbose
/// --numeric-owner --full-time --quoting-style=c`), as read from the tool:
/// the type letter of the mode column, the size, and the name as tar
/// printed it between double quotes (escapes kept, so one line per member
/// and a name can never be confused with the padding before it).
public struct TarListingEntry: Sendable, Hashable {
    /// `-` regular file, `d` folder, `l` symbolic link, `h` hard link, `c`/`b` devices, `p` fifo, …
    public var type: Character
    public var size: Int64
    public var name: String

    public init(type: Character, size: Int64, name: String) {
        self.type = type
        self.size = size
        self.name = name
    }

    /// What the type letter means, for messages.
    public var typeDescription: String {
        switch type {
        case "-": "regular file"
        case "d": "folder"
        case "l": "symbolic link"
        case "h": "hard link"
        case "c": "character device"
        case "b": "block device"
        case "p": "fifo"
        case "s": "socket"
        case "C": "contiguous file"
        case "V": "volume label"
        case "M": "multi-volume continuation"
        default: "special member (type \(type))"
        }
    }
}

/// Checks GNU tar's listing of an untrusted archive before anything is
/// extracted: bounded output and member count, only regular files and
/// folders, names `ArchivePath` accepts (relative, no `..`, bounded length)
/// and placed as `ArchiveLayout` allows, each once, sizes and their sum
/// within `ArchiveLimits`. The extracted folder is checked again from disk
/// afterwards (`ArchiveVerifier`); this pass keeps tar from ever creating a
/// link, a device or a file outside the layout.
public enum TarListing {
    /// Parses and checks the whole listing; returns its entries (folders
    /// without the trailing `/`). With `tarSize` (the bytes of the tar
    /// listed), the members' sizes must add up to no more than it: each
    /// member's data is stored in the tar, so a larger sum is a sparse
    /// member (crplan never writes one) whose extraction and hashing would
    /// cost far more than the archive, or a lying header.
    public static func check(
        _ output: [UInt8], limits: ArchiveLimits = .standard, tarSize: Int64? = nil
    ) throws(ArchiveError) -> [TarListingEntry] {
        // a line is at most a mode, owner, size, date, time and an escaped name (4 bytes per name byte)
        let maximumLine = 256 + limits.maximumPathLength * 4
        guard output.count <= limits.maximumMembers * maximumLine else {
            throw .limitExceeded("its listing is longer than \(limits.maximumMembers) members allow")
        }
        var entries: [TarListingEntry] = []
        var seen: Set<String> = []
        var total: Int64 = 0
        for line in output.split(separator: 0x0a, omittingEmptySubsequences: true) {
            guard entries.count < limits.maximumMembers else {
                throw .limitExceeded("more than \(limits.maximumMembers) members")
            }
            guard line.count <= maximumLine else {
                throw .limitExceeded("a member's name is longer than \(limits.maximumPathLength) bytes")
            }
            var entry = try parse(String(decoding: line, as: UTF8.self))
            let display = RemoteShellQuoting.display(entry.name)
            switch entry.type {
            case "-":
                if entry.name == ArchiveLayout.manifest {
                    guard entry.size <= Int64(limits.maximumManifestSize) else {
                        throw .invalidManifest("it is \(entry.size) bytes, more than \(limits.maximumManifestSize)")
                    }
                } else {
                    try ArchivePath.validateFile(entry.name, limits: limits)
                }
                guard entry.size <= limits.maximumFileSize else {
                    throw .limitExceeded("member \(display) has \(entry.size) bytes, more than \(limits.maximumFileSize)")
                }
                total += entry.size
                guard total <= limits.maximumTotalSize else {
                    throw .limitExceeded("the members add up to more than \(limits.maximumTotalSize) bytes")
                }
                if let tarSize, total > tarSize {
                    throw .limitExceeded(
                        "member \(display) takes the members' sizes to \(total) bytes, more than the \(tarSize) bytes of the tar "
                            + "holding them (a sparse member, which crplan never writes, or a corrupt header)")
                }
            case "d":
                if entry.name.hasSuffix("/") { entry.name.removeLast() }
                try ArchivePath.validateSyntax(entry.name, limits: limits)
                let top = String(entry.name.prefix(while: { $0 != "/" }))
                guard ArchiveLayout.topLevelDirectories.contains(top) else { throw .unlistedMember(entry.name + "/") }
            default:
                throw .forbiddenMemberType(display, type: entry.typeDescription)
            }
            guard seen.insert(entry.name).inserted else { throw .duplicateMember(RemoteShellQuoting.display(entry.name)) }
            entries.append(entry)
        }
        return entries
    }

    /// One line: `MODE OWNER SIZE DATE TIME "NAME"` (fields separated by
    /// runs of spaces; the name, which may hold spaces, between double
    /// quotes; a link's ` -> "target"` after it is ignored).
    public static func parse(_ line: String) throws(ArchiveError) -> TarListingEntry {
        func unreadable() -> ArchiveError {
            .readFailed("tar printed a listing line crplan does not understand: \(RemoteShellQuoting.display(String(line.prefix(200))))")
        }
        var rest = Substring(line)
        var fields: [Substring] = []
        for _ in 0..<5 {
            rest = rest.drop(while: { $0 == " " })
            guard let space = rest.firstIndex(of: " ") else { break }
            fields.append(rest[..<space])
            rest = rest[rest.index(after: space)...]
        }
        rest = rest.drop(while: { $0 == " " })
        guard fields.count == 5, let type = fields[0].first, fields[0].count == 10, rest.first == "\"" else { throw unreadable() }
        // the closing quote is the first one not escaped by a backslash
        var name = ""
        var escaped = false
        var closed = false
        for character in rest.dropFirst() {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                closed = true
                break
            }
            name.append(character)
        }
        guard closed, !name.isEmpty else { throw unreadable() }
        // devices print "major,minor" in the size column
        let size = Int64(fields[2]) ?? 0
        return TarListingEntry(type: type, size: size, name: name)
    }
}
