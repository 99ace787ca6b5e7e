import CRPlanCore
import Glibc

/// Verifies and unpacks a portable archive into a new folder. Nothing is
/// written to the destination before every member has been checked: a
/// zstd archive is first decompressed (`zstd -d`, a `PipelineRunner`
/// stage) into a temporary tar beside the destination; the tar is read
/// with `TarStreamReader` (regular files and folders only, names checked,
/// sizes bounded) into a private staging folder (0700) beside the
/// destination, hashing every byte as it is written; the listing is
/// verified against `manifest.json` (`ArchiveVerifier`), the staging folder
/// is listed again from disk and verified again, and only then renamed to
/// the destination. On any refusal the staging folder and the temporary
/// tar are removed and the destination does not exist.
public struct ArchiveReader: Sendable {
    public var runner: PipelineRunner
    public var zstd: String
    public var limits: ArchiveLimits

    public init(runner: PipelineRunner = PipelineRunner(), zstd: String = "zstd", limits: ArchiveLimits = .standard) {
        self.runner = runner
        self.zstd = zstd
        self.limits = limits
    }

    static let zstdMagic: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd]

    /// The largest tar the limits allow: the files, plus per member a header,
    /// a pax header, padding and folder entries, plus the manifest and the end.
    var maximumTarSize: Int64 {
        limits.maximumTotalSize + Int64(limits.maximumFiles) * 4 * 512 + Int64(limits.maximumManifestSize) + (1 << 20)
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
        let parent = ArchiveWriter.parent(of: trimmed)
        guard let (parentKind, _) = ArchiveFiles.kind(parent), parentKind == .directory else {
            throw .writeFailed("\(parent) is not a folder")
        }
        guard let (archiveKind, _) = ArchiveFiles.kind(archive), archiveKind == .file else {
            throw .readFailed("\(archive) is not a regular file")
        }
        let name = String(trimmed[trimmed.index(after: trimmed.lastIndex(of: "/") ?? trimmed.startIndex)...])
        let staging = parent + "/." + name + ".import-\(getpid())"
        let temporaryTar = staging + ".tar"
        ArchiveFiles.removeTree(staging)
        unlink(temporaryTar)
        defer { unlink(temporaryTar) }
        do throws(ArchiveError) {
            let tar = try await decompressedTar(archive, temporary: temporaryTar)
            try ArchiveFiles.makeDirectory(staging)
            let manifest = try extract(tar, into: staging)
            try StagingDirectoryLister.verify(staging, against: manifest, limits: limits)
            try ArchiveFiles.syncDirectory(staging)
            guard rename(staging, trimmed) == 0 else {
                throw .writeFailed("rename \(staging) to \(trimmed): \(String(cString: strerror(errno)))")
            }
            try ArchiveFiles.syncDirectory(parent)
            return manifest
        } catch {
            ArchiveFiles.removeTree(staging)
            throw error
        }
    }

    /// The archive itself when it is a plain tar, else its decompression.
    private func decompressedTar(_ archive: String, temporary: String) async throws(ArchiveError) -> String {
        let fd = try ArchiveFiles.openForReading(archive)
        var source = ArchiveFileSource(descriptor: fd, path: archive)
        let head = (try? source.read(upTo: 4)) ?? []
        close(fd)
        guard head == Self.zstdMagic else { return archive }
        // `head -c` bounds what a decompression bomb can write: one byte more than the
        // largest tar the limits allow, which then stops zstd with SIGPIPE.
        let bound = maximumTarSize + 1
        let pipeline: CommandPipeline
        do {
            pipeline = try CommandPipeline(
                stages: [PipelineStage([zstd, "-d", "-q", "-c", "--", archive]), PipelineStage(["head", "-c", String(bound)])],
                output: .file(temporary, replace: false))
        } catch {
            throw .readFailed(error.description)
        }
        let result: PipelineResult
        do {
            result = try await runner.run(pipeline)
        } catch {
            throw .readFailed(error.description)
        }
        if let (_, size) = ArchiveFiles.kind(temporary), size >= bound {
            throw .limitExceeded("\(archive) decompresses to more than \(maximumTarSize) bytes")
        }
        guard result.succeeded else {
            throw .readFailed("\(archive) is not a valid zstd stream (corrupt or truncated): \(result.failureDescription ?? "zstd failed")")
        }
        return temporary
    }

    /// Reads every member into `staging`, returns the verified manifest.
    private func extract(_ tar: String, into staging: String) throws(ArchiveError) -> ArchiveManifest {
        let fd = try ArchiveFiles.openForReading(tar)
        defer { close(fd) }
        var reader = TarStreamReader(source: ArchiveFileSource(descriptor: fd, path: tar), limits: limits)
        var entries: [ArchiveListingEntry] = []
        var seen: Set<String> = []
        var manifestBytes: [UInt8]?
        var total: Int64 = 0
        while let member = try reader.nextMember() {
            guard seen.insert(member.path).inserted else { throw .duplicateMember(member.path) }
            if member.kind == .file && member.path != ArchiveLayout.manifest {
                try ArchivePath.validateFile(member.path, limits: limits)
            } else if member.kind == .directory {
                let top = String(member.path.prefix(while: { $0 != "/" }))
                guard ArchiveLayout.topLevelDirectories.contains(top) else { throw .unlistedMember(member.path + "/") }
            }
            total += member.size
            guard total <= limits.maximumTotalSize else { throw .limitExceeded("more than \(limits.maximumTotalSize) bytes in all") }
            // parents are made by crplan (0700), so no member can reach through a link
            var folder = staging
            for ancestor in ArchivePath.ancestors(of: member.path) {
                folder = staging + "/" + ancestor
                if ArchiveFiles.kind(folder) == nil { try ArchiveFiles.makeDirectory(folder) }
                guard ArchiveFiles.kind(folder)?.0 == .directory else {
                    throw .invalidMemberPath(member.path, reason: "\(ancestor) is a file in this archive")
                }
            }
            let target = staging + "/" + member.path
            if member.kind == .directory {
                if ArchiveFiles.kind(target) == nil { try ArchiveFiles.makeDirectory(target) }
                entries.append(ArchiveListingEntry(path: member.path, kind: .directory))
                continue
            }
            let out = try ArchiveFiles.createExclusive(target)
            defer { close(out) }
            var digest = ArchiveDigest()
            var kept: [UInt8] = []
            let isManifest = member.path == ArchiveLayout.manifest
            if isManifest && member.size > Int64(limits.maximumManifestSize) {
                throw .invalidManifest("it is \(member.size) bytes, more than \(limits.maximumManifestSize)")
            }
            while let part = try reader.readData(maximum: 1 << 20) {
                digest.update(part)
                if isManifest { kept += part }
                try ArchiveFiles.writeAll(out, part, path: target)
            }
            try ArchiveFiles.sync(out, path: target)
            if isManifest { manifestBytes = kept }
            entries.append(ArchiveListingEntry(path: member.path, kind: .file, size: member.size, sha256: digest.finalize()))
        }
        guard let manifestBytes else { throw .missingManifest }
        let manifest = try ArchiveManifest.decode(manifestBytes, limits: limits)
        try ArchiveVerifier.verify(entries, against: manifest, limits: limits)
        return manifest
    }
}
