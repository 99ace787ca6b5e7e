import Foundation

/// The container a migration created on the target engine, as the target's
/// printed `docker inspect` (and its layer's `mount-id` file, read by a
/// printed `cat`) describe it. Decoded here, in pure code, so that the
/// target may be a machine crplan reaches only through commands: no file of
/// the target is read by crplan itself. Journaled inside the run's facts so
/// a resume or rollback binds `${target.id}` / `${target.rootfs}` again.
public struct TargetContainer: Sendable, Hashable, Codable {
    /// Docker's full container id (64 hex digits).
    public var id: String
    /// The storage driver the target engine reports (`overlay2` or `vfs`).
    public var driver: String
    /// The layer's folder name under the driver's directory, once read.
    public var mountID: String?
    /// The folder the file changes go to: vfs `<home>/vfs/dir/<mount-id>`,
    /// overlay2 `<home>/overlay2/<mount-id>/diff`; empty until the mount id is read.
    public var rootfs: String

    public init(id: String, driver: String, mountID: String? = nil, rootfs: String = "") {
        self.id = id
        self.driver = driver
        self.mountID = mountID
        self.rootfs = rootfs
    }

    /// The storage drivers whose container root crplan knows how to reach.
    public static let supportedDrivers = ["overlay2", "vfs"]

    /// The container with its mount id read from `mount-id` (what `cat` printed) and its root derived.
    public func withMountID(_ output: String, targetHome: String) throws(MigrationRefusal) -> TargetContainer {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...128).contains(text.utf8.count),
              text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else {
            throw .malformed("the target engine's layer mount id `\(text.prefix(80))` is not 1 to 128 letters, digits, `-` or `_`")
        }
        let home = targetHome.hasSuffix("/") ? String(targetHome.dropLast()) : targetHome
        var result = self
        result.mountID = text
        switch driver {
        case "vfs": result.rootfs = "\(home)/vfs/dir/\(text)"
        case "overlay2": result.rootfs = "\(home)/overlay2/\(text)/diff"
        default: throw .malformed("the target engine uses the storage driver `\(driver)`; crplan migrates only to \(Self.supportedDrivers.joined(separator: ", "))")
        }
        return result
    }
}

/// What the target engine's `docker inspect` of one container says (pure decoding, bounded).
public struct TargetInspect: Sendable, Hashable {
    public var id: String
    public var driver: String
    public var running: Bool
    public var pid: Int
    public var status: String
    /// `Path` then `Args`: the command Docker runs as the container's init.
    public var commandLine: [String]

    /// Decodes the JSON array one `docker inspect --type container` printed.
    public init(inspectOutput result: CommandResult, what: String) throws(MigrationRefusal) {
        guard !result.standardOutputTruncated, result.standardOutput.utf8.count <= SourceConfiguration.maximumInspectBytes else {
            throw .malformed("the \(what) docker inspect output is larger than crplan reads")
        }
        struct JSON: Decodable {
            struct State: Decodable {
                var Running: Bool?
                var Pid: Int?
                var Status: String?
            }
            struct Driver: Decodable { var Name: String? }
            var Id: String?
            var State: State?
            var GraphDriver: Driver?
            var Path: String?
            var Args: [String]?
        }
        let decoded: [JSON]
        do {
            decoded = try JSONDecoder().decode([JSON].self, from: Data(result.standardOutput.utf8))
        } catch {
            throw .malformed("the \(what) docker inspect output is not the JSON crplan expects: \(error)")
        }
        guard decoded.count == 1, let json = decoded.first else {
            throw .malformed("the \(what) docker inspect printed \(decoded.count) containers, not one")
        }
        id = json.Id ?? ""
        guard id.utf8.count == 64, id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .malformed("the \(what) container id `\(id.prefix(80))` is not 64 hex digits")
        }
        driver = json.GraphDriver?.Name ?? ""
        running = json.State?.Running ?? false
        pid = json.State?.Pid ?? 0
        status = json.State?.Status ?? ""
        commandLine = (json.Path.map { [$0] } ?? []) + (json.Args ?? [])
        guard (0...ContainerFacts.maximumPid).contains(pid), commandLine.count <= SourceConfiguration.maximumEntries,
              driver.utf8.count <= 64, status.utf8.count <= 64 else {
            throw .malformed("the \(what) docker inspect reports values out of bounds (pid \(pid), \(commandLine.count) arguments)")
        }
    }
}

/// The file changes `capture-changes` found that the target must not have:
/// paths relative to the container's root (`a/b`), each checked so that it
/// can only name something inside the root.
public enum DeletedPaths {
    /// The most deletions one migration carries.
    public static let maximumCount = 10_000

    /// The deleted paths in what `docker diff` printed (`D /a/b` lines; `A`
    /// and `C` lines are in the tar), without the leading `/`, validated and sorted.
    public static func parse(dockerDiff output: String) throws(MigrationRefusal) -> [String] {
        try changes(dockerDiff: output).deleted
    }

    /// Every path `docker diff` printed, without the leading `/`, validated:
    /// the added and changed ones in its order (a folder before what it
    /// holds), the deleted ones sorted.
    public static func changes(dockerDiff output: String) throws(MigrationRefusal) -> FileChanges {
        var result = FileChanges()
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            guard line.count >= 3, line.dropFirst().first == " ", let kind = line.first, "ACD".contains(kind) else {
                throw .malformed("docker diff printed `\(line.prefix(80))`, not `A|C|D /path` (a name with a line break cannot be migrated)")
            }
            let path = String(line.dropFirst(2))
            guard path.hasPrefix("/") else { throw .malformed("docker diff printed the relative path `\(path.prefix(80))`") }
            let relative = String(path.dropFirst())
            try validate(relative)
            if kind == "D" { result.deleted.append(relative) } else { result.addedOrChanged.append(relative) }
            guard result.deleted.count + result.addedOrChanged.count <= maximumCount else {
                throw .malformed("the source changed more than the \(maximumCount) files crplan carries")
            }
        }
        result.deleted.sort()
        return result
    }

    /// Refuses a path that is empty, absolute, holds `.`/`..`/empty components, a NUL or control character, or is too long.
    public static func validate(_ path: String) throws(MigrationRefusal) {
        guard !path.isEmpty, path.utf8.count <= ContainerFacts.maximumPathLength, !path.hasPrefix("/") else {
            throw .malformed("the deleted file `\(path.prefix(80))` is not a relative path inside the root")
        }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw .malformed("the deleted file `\(path.prefix(80))` has a control character in its name")
        }
        for component in PathBytes.components(path) where component.isEmpty || component == "." || component == ".." {
            throw .malformed("the deleted file `\(path.prefix(80))` has an empty, `.` or `..` component")
        }
    }

    /// `find`'s starting point and expression that select these paths below
    /// `root` without following any link: find (`-P`) walks the root itself
    /// and never enters a symbolic link, so every path it reaches lies inside
    /// the root; `( -path ROOT/a -o … )` selects, the caller prunes and removes.
    /// With no paths: `-maxdepth 0 -false` (nothing matches, nothing is walked).
    public static func findArguments(root: String, paths: [String]) -> [String] {
        // One group holds every clause when nothing limits it.
        (try? findBatches(root: root, paths: paths, limit: .max))?.first ?? [root, "-maxdepth", "0", "-false"]
    }

    /// `findArguments` split into commands whose clauses cost at most `limit`
    /// bytes each (`ArgumentBatches`), in the paths' order; one command for no paths.
    public static func findBatches(root: String, paths: [String], limit: Int = ArgumentBatches.maximumBytes) throws(MigrationRefusal) -> [[String]] {
        guard !paths.isEmpty else { return [[root, "-maxdepth", "0", "-false"]] }
        let clauses = paths.map { ["-path", escapePattern(root + "/" + $0)] }
        return try OverlayDeletions.batches(clauses, joiner: "-o", limit: limit).map { [root, "-mindepth", "1", "("] + $0 + [")"] }
    }

    /// A literal name as a `find -path` pattern (`*`, `?`, `[`, `]`, `\` escaped).
    static func escapePattern(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if "*?[]\\".unicodeScalars.contains(scalar) { result.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

/// The source's file changes as `docker diff` reports them, relative to its root.
public struct FileChanges: Sendable, Hashable {
    public var addedOrChanged: [String] = []
    public var deleted: [String] = []
}
