import CRPlanCore
import Glibc

/// Verifies and unpacks a portable archive into a new folder with GNU tar
/// (and zstd), run by the `Host` as argv arrays. Nothing reaches the
/// destination before every member has been checked:
///
/// 1. the archive must be a regular file within `maximumArchiveSize`;
/// 2. a private folder (0700) is made beside the destination; a plain tar
///    is copied into it once (so what is listed is what is extracted); a zstd
///    archive must start with `manifest.json` and is decompressed into it
///    through `head -c`, so a decompression bomb stops one byte past the
///    smallest of `maximumTarSize`, its size × `maximumExpansionRatio` and
///    half the free space beyond `stagingReserve` (`ArchiveReader+Staging`);
/// 3. `tar --list --verbose` is checked line by line (`TarListing`): only
///    regular files and folders, names relative, without `..`, bounded and
///    inside the archive layout, each once, sizes bounded and adding up
///    to no more than the tar (no sparse member) — a link, a
///    device, `../x` or `/abs` is refused before tar extracts anything;
/// 4. `tar --extract` into `tree/` of the private folder, never as the
///    archive's owner or modes, never replacing a file (`--keep-old-files`),
///    without ACLs, xattrs or SELinux labels;
/// 5. the tree is walked with lstat (never following a link; a file with
///    several links is refused) and every file's size and SHA-256 compared
///    with `manifest.json` (`ArchiveVerifier`): nothing unlisted, nothing
///    missing;
/// 6. only then are its modes set to 0700 (folders) and 0600 (files) and
///    `tree/` renamed to the destination.
///
/// On any refusal the private folder is removed and the destination does
/// not exist.
public struct ArchiveReader: Sendable {
    public var host: any Host
    public var tar: String
    public var zstd: String
    public var limits: ArchiveLimits
    public var timeout: Duration

    public init(
        host: any Host = SystemHost(), tar: String = "tar", zstd: String = "zstd", limits: ArchiveLimits = .standard,
        timeout: Duration = .seconds(3600)
    ) {
        self.host = host
        self.tar = tar
        self.zstd = zstd
        self.limits = limits
        self.timeout = timeout
    }

    static let zstdMagic: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd]

    /// `tar --list` of `file`, one escaped line per member.
    public func listArgv(_ file: String) -> [String] {
        [tar] + ArchiveTarArguments.list + ["--file=" + file]
    }

    /// `tar --extract` of `file` into the existing, empty folder `tree`.
    public func extractArgv(_ file: String, into tree: String) -> [String] {
        [tar, "--extract", "--file=" + file, "--directory=" + tree] + ArchiveTarArguments.extractOptions
    }

    @discardableResult
    public func unpack(_ archive: String, into destination: String) async throws(ArchiveError) -> ArchiveManifest {
        guard destination.hasPrefix("/"), archive.hasPrefix("/") else {
            throw .writeFailed("give absolute paths (\(archive), \(destination))")
        }
        let trimmed = destination.count > 1 && destination.hasSuffix("/") ? String(destination.dropLast()) : destination
        guard ArchiveFiles.kind(trimmed) == nil else {
            throw .writeFailed("\(trimmed) already exists; import into a new folder")
        }
        let parent = ArchiveFiles.parent(of: trimmed)
        guard ArchiveFiles.kind(parent)?.0 == .directory else { throw .writeFailed("\(parent) is not a folder") }
        guard let archiveSize = ArchiveFiles.regularFileSize(archive) else {
            throw .readFailed("\(archive) is not a regular file (symbolic links are not followed)")
        }
        guard archiveSize <= limits.maximumArchiveSize else {
            throw .limitExceeded("\(archive) is \(archiveSize) bytes, more than \(limits.maximumArchiveSize)")
        }
        let staging = try ArchiveFiles.makeStagingDirectory(in: parent, for: trimmed, purpose: "import")
        defer { ArchiveFiles.removeTree(staging) }
        let budget = try await stagingBudget(in: parent)
        let tarFile = try await stagedTar(archive, size: archiveSize, staging: staging, budget: budget)

        let listing = staging + "/listing"
        try await runChecked(
            [PipelineStage(listArgv(tarFile))], output: listing,
            failure: { "the archive is corrupt or truncated (tar cannot list it): \($0)" })
        guard let listingSize = ArchiveFiles.regularFileSize(listing),
            listingSize <= Int64(limits.maximumMembers) * Int64(256 + limits.maximumPathLength * 4)
        else {
            throw .limitExceeded("its listing is longer than \(limits.maximumMembers) members allow")
        }
        let entries = try TarListing.check(
            try Self.readSmallFile(listing, limit: Int(listingSize)), limits: limits,
            tarSize: ArchiveFiles.regularFileSize(tarFile) ?? 0)
        guard let manifestEntry = entries.first(where: { $0.name == ArchiveLayout.manifest && $0.type == "-" }) else {
            throw .missingManifest
        }

        let tree = staging + "/tree"
        try ArchiveFiles.makeDirectory(tree)
        try await runChecked(
            [PipelineStage(extractArgv(tarFile, into: tree))], output: nil,
            failure: { "tar cannot extract it (corrupt, truncated or hostile): \($0)" })
        unlink(tarFile)

        let manifest = try UnpackedArchive.verify(tree, listedManifestSize: manifestEntry.size, limits: limits)

        guard rename(tree, trimmed) == 0 else {
            throw .writeFailed("rename \(tree) to \(trimmed): \(String(cString: strerror(errno)))")
        }
        try ArchiveFiles.syncDirectory(parent)
        return manifest
    }

    func runChecked(
        _ stages: [PipelineStage], output: String?, failure: (String) -> String
    ) async throws(ArchiveError) {
        let result = try await runUnchecked(stages, output: output)
        guard result.status == .exited(0) else { throw .readFailed(failure(Self.lastLines(result.standardError))) }
    }

    /// Runs the pipeline and returns how it ended, whatever that was.
    func runUnchecked(_ stages: [PipelineStage], output: String?) async throws(ArchiveError) -> CommandResult {
        do {
            let pipeline = try CommandPipeline(
                stages: stages, input: .null, output: output.map { .file($0, replace: false) } ?? .null,
                timeoutMilliseconds: Int(timeout.components.seconds) * 1000)
            return try await host.runPipeline(pipeline)
        } catch let error as PipelineError {
            throw .readFailed(error.description)
        } catch let error as HostError {
            throw .readFailed("cannot run \(stages.map { $0.argv[0] }.joined(separator: " | ")): \(error.description)")
        } catch {
            throw .readFailed("\(error)")
        }
    }

    static func lastLines(_ text: String) -> String {
        let lines = text.split(separator: "\n").suffix(4).map { line in
            String(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : Character($0) }.prefix(300))
        }
        return lines.isEmpty ? "(no message)" : lines.joined(separator: "; ")
    }

    /// At most `limit` bytes of a regular file (not through a link); longer is refused unless `refuseLonger` is false.
    static func readSmallFile(_ path: String, limit: Int, refuseLonger: Bool = true) throws(ArchiveError) -> [UInt8] {
        let fd = try ArchiveFiles.openForReading(path)
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            let want = min(buffer.count, limit + 1 - bytes.count)
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .readFailed("\(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes += buffer.prefix(n)
        }
        if bytes.count > limit {
            guard !refuseLonger else { throw .limitExceeded("\(path) is longer than \(limit) bytes") }
            bytes = Array(bytes.prefix(limit))
        }
        return bytes
    }
}
