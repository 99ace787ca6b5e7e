import CRPlanCore
import Glibc

/// How a portable archive is compressed.
public enum ArchiveCompression: String, Sendable, Hashable, CaseIterable {
    /// `zstd` (the default; the program must be on PATH).
    case zstd
    /// A plain tar.
    case none
}

/// One file to put in an archive: where it is, and its archive name.
public struct ArchiveInputFile: Sendable, Hashable {
    public var archivePath: String
    public var localPath: String

    public init(archivePath: String, localPath: String) {
        self.archivePath = archivePath
        self.localPath = localPath
    }
}

/// Writes a portable archive: hashes every input file, writes
/// `manifest.json` first and then the files (ustar, sorted, owner root,
/// mode 0600/0700) into a temporary tar beside the destination, compresses
/// it with `zstd` (a `PipelineRunner` stage), fsyncs, and renames it into
/// place (never replacing an existing file). Used by `crplan export`; the
/// migrate steps use it with the rootfs and container files as well.
public struct ArchiveWriter: Sendable {
    public var runner: PipelineRunner
    public var zstd: String
    public var limits: ArchiveLimits

    public init(runner: PipelineRunner = PipelineRunner(), zstd: String = "zstd", limits: ArchiveLimits = .standard) {
        self.runner = runner
        self.zstd = zstd
        self.limits = limits
    }

    @discardableResult
    public func write(
        files: [ArchiveInputFile], crplanVersion: String, createdAt: String, source: ArchiveSource,
        to archive: String, compression: ArchiveCompression = .zstd
    ) async throws(ArchiveError) -> ArchiveManifest {
        guard archive.hasPrefix("/") else { throw .writeFailed("\(archive): give an absolute path") }
        guard ArchiveFiles.kind(archive) == nil else { throw .writeFailed("\(archive) already exists; remove it or choose another name") }
        var records: [ArchiveFileRecord] = []
        for file in files.sorted(by: { $0.archivePath < $1.archivePath }) {
            guard let (kind, _) = ArchiveFiles.kind(file.localPath), kind == .file else {
                throw .readFailed("\(file.localPath) is not a regular file (symbolic links are not followed)")
            }
            let (sha256, size) = try ArchiveFiles.digest(file.localPath)
            records.append(ArchiveFileRecord(path: file.archivePath, size: size, sha256: sha256))
        }
        let manifest = ArchiveManifest(crplanVersion: crplanVersion, createdAt: createdAt, source: source, files: records)
        try manifest.validate(limits: limits)
        let manifestBytes = try manifest.encoded()

        let temporaryTar = archive + ".tar-partial-\(getpid())"
        let partial = archive + ".partial-\(getpid())"
        defer { unlink(temporaryTar); unlink(partial) }
        let tarTarget = compression == .none ? partial : temporaryTar
        try writeTar(manifest: manifestBytes, files: files, records: records, to: tarTarget)
        if compression == .zstd {
            let pipeline: CommandPipeline
            do {
                pipeline = try CommandPipeline(
                    stages: [PipelineStage([zstd, "-q", "-T0", "-c", "--", temporaryTar])],
                    input: .null, output: .file(partial, replace: false))
            } catch {
                throw .writeFailed(error.description)
            }
            let result: PipelineResult
            do {
                result = try await runner.run(pipeline)
            } catch {
                throw .writeFailed(error.description)
            }
            guard result.succeeded else { throw .writeFailed("compressing \(archive): \(result.failureDescription ?? "failed")") }
            let fd = ArchiveFiles.openForReadingOrNil(partial)
            if let fd { defer { close(fd) }; try ArchiveFiles.sync(fd, path: partial) }
        }
        guard link(partial, archive) == 0 else {
            throw .writeFailed("\(archive): \(String(cString: strerror(errno)))")
        }
        try ArchiveFiles.syncDirectory(Self.parent(of: archive))
        return manifest
    }

    private func writeTar(manifest: [UInt8], files: [ArchiveInputFile], records: [ArchiveFileRecord], to path: String) throws(ArchiveError) {
        let out = try ArchiveFiles.createExclusive(path)
        defer { close(out) }
        let now = Int64(time(nil))
        try ArchiveFiles.writeAll(out, TarHeader.blocks(name: ArchiveLayout.manifest, kind: .file, size: Int64(manifest.count), mode: 0o600, modificationTime: now), path: path)
        try ArchiveFiles.writeAll(out, manifest + TarHeader.padding(for: Int64(manifest.count)), path: path)
        var folders: Set<String> = []
        let byPath = Dictionary(files.map { ($0.archivePath, $0.localPath) }, uniquingKeysWith: { first, _ in first })
        for record in records {
            for folder in ArchivePath.ancestors(of: record.path) where folders.insert(folder).inserted {
                try ArchiveFiles.writeAll(out, TarHeader.blocks(name: folder + "/", kind: .directory, size: 0, mode: 0o700, modificationTime: now), path: path)
            }
            guard let local = byPath[record.path] else { continue }
            try ArchiveFiles.writeAll(out, TarHeader.blocks(name: record.path, kind: .file, size: record.size, mode: 0o600, modificationTime: now), path: path)
            // copy exactly the bytes that were hashed: a file that changed size since is refused
            let input = try ArchiveFiles.openForReading(local)
            defer { close(input) }
            var digest = ArchiveDigest()
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var left = record.size
            while left > 0 {
                let want = Int(min(Int64(buffer.count), left))
                let n = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, want) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw .readFailed("\(local) shrank while it was archived") }
                let chunk = Array(buffer.prefix(n))
                digest.update(chunk)
                try ArchiveFiles.writeAll(out, chunk, path: path)
                left -= Int64(n)
            }
            guard digest.finalize() == record.sha256 else { throw .readFailed("\(local) changed while it was archived") }
            try ArchiveFiles.writeAll(out, TarHeader.padding(for: record.size), path: path)
        }
        try ArchiveFiles.writeAll(out, TarHeader.endOfArchive, path: path)
        try ArchiveFiles.sync(out, path: path)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension ArchiveFiles {
    static func openForReadingOrNil(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        return fd >= 0 ? fd : nil
    }
}
