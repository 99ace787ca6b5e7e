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

/// Writes a portable archive with GNU tar and zstd (argv arrays run by the
/// `Host`, connected by a pipe; no shell): every input file is copied,
/// hashing exactly the bytes copied, into a private folder (0700) beside
/// the destination under its archive name; `manifest.json` is written
/// there; `tar --create` (POSIX format, owner 0/0, modes u=rwX, names
/// sorted, the manifest first) `| zstd` writes a partial file beside the
/// destination, which is fsynced and linked into place (never replacing an
/// existing file). The private folder is removed in every case.
public struct ArchiveWriter: Sendable {
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

    /// The `tar --create` argv that packs `tree` (manifest first, then `members`) to standard output.
    public func createArgv(tree: String, members: [String]) -> [String] {
        [
            tar, "--create", "--file=-", "--directory=" + tree, "--format=posix",
            "--pax-option=delete=atime,delete=ctime", "--numeric-owner", "--owner=0", "--group=0",
            "--mode=u=rwX,go=", "--sort=name", "--no-acls", "--no-xattrs", "--no-selinux", "--",
        ] + [ArchiveLayout.manifest] + members
    }

    @discardableResult
    public func write(
        files: [ArchiveInputFile], crplanVersion: String, createdAt: String, source: ArchiveSource,
        to archive: String, compression: ArchiveCompression = .zstd
    ) async throws(ArchiveError) -> ArchiveManifest {
        guard archive.hasPrefix("/") else { throw .writeFailed("\(archive): give an absolute path") }
        guard ArchiveFiles.kind(archive) == nil else { throw .writeFailed("\(archive) already exists; remove it or choose another name") }
        let parent = ArchiveFiles.parent(of: archive)
        guard ArchiveFiles.kind(parent)?.0 == .directory else { throw .writeFailed("\(parent) is not a folder") }
        var seen: Set<String> = []
        for file in files {
            try ArchivePath.validateFile(file.archivePath, limits: limits)
            guard seen.insert(file.archivePath).inserted else { throw .duplicateMember(file.archivePath) }
        }
        let staging = try ArchiveFiles.makeStagingDirectory(in: parent, for: archive, purpose: "export")
        defer { ArchiveFiles.removeTree(staging) }
        let tree = staging + "/tree"
        try ArchiveFiles.makeDirectory(tree)

        var records: [ArchiveFileRecord] = []
        for file in files.sorted(by: { $0.archivePath < $1.archivePath }) {
            guard ArchiveFiles.kind(file.localPath)?.0 == .file else {
                throw .readFailed("\(file.localPath) is not a regular file (symbolic links are not followed)")
            }
            for folder in ArchivePath.ancestors(of: file.archivePath) where ArchiveFiles.kind(tree + "/" + folder) == nil {
                try ArchiveFiles.makeDirectory(tree + "/" + folder)
            }
            let (sha256, size) = try ArchiveFiles.copyHashing(from: file.localPath, to: tree + "/" + file.archivePath)
            records.append(ArchiveFileRecord(path: file.archivePath, size: size, sha256: sha256))
        }
        let manifest = ArchiveManifest(crplanVersion: crplanVersion, createdAt: createdAt, source: source, files: records)
        try manifest.validate(limits: limits)
        let manifestFile = tree + "/" + ArchiveLayout.manifest
        let out = try ArchiveFiles.createExclusive(manifestFile)
        do {
            try ArchiveFiles.writeAll(out, try manifest.encoded(), path: manifestFile)
            close(out)
        } catch {
            close(out)
            throw error
        }

        let members = Set(records.map { String($0.path.prefix(while: { $0 != "/" })) }).sorted()
        var stages = [PipelineStage(createArgv(tree: tree, members: members))]
        if compression == .zstd { stages.append(PipelineStage([zstd, "-q", "-T0", "-c"])) }
        let partial = staging + "/archive.partial"
        let result: CommandResult
        do {
            let pipeline = try CommandPipeline(
                stages: stages, input: .null, output: .file(partial, replace: false),
                timeoutMilliseconds: Int(timeout.components.seconds) * 1000)
            result = try await host.runPipeline(pipeline)
        } catch let error as PipelineError {
            throw .writeFailed(error.description)
        } catch let error as HostError {
            throw .writeFailed("cannot run tar: \(error.description)")
        } catch {
            throw .writeFailed("\(error)")
        }
        guard result.status == .exited(0) else {
            throw .writeFailed("packing \(archive) failed: \(result.standardError)")
        }
        if let fd = ArchiveFiles.openForReadingOrNil(partial) {
            defer { close(fd) }
            try ArchiveFiles.sync(fd, path: partial)
        }
        guard link(partial, archive) == 0 else {
            throw .writeFailed("\(archive): \(String(cString: strerror(errno)))")
        }
        try ArchiveFiles.syncDirectory(parent)
        return manifest
    }
}

extension ArchiveFiles {
    static func openForReadingOrNil(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        return fd >= 0 ? fd : nil
    }
}
