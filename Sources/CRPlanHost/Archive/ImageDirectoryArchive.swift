import CRPlanCore
import Foundation
import Glibc

/// `crplan export` / `crplan import` over a crplan image dir: the image
/// dir's files (CRIU images, logs, `crplan-facts.json`) become
/// `checkpoint/…`, and the saved facts are also `container/facts.json`, so
/// an unpacked archive's `checkpoint/` folder is again a complete image dir
/// a restore-only plan can point at. The rootfs change capture
/// (`rootfs/changes.tar`, `rootfs/deleted.json`) and `container/config.json`
/// are added by the migrate steps, through `ArchiveWriter` directly.
public enum ImageDirectoryArchive {
    /// The image dir must hold a complete checkpoint (`stats-dump`,
    /// `inventory.img`) and the saved facts; only regular files and folders.
    public static func inputFiles(imageDirectory: String) throws(ArchiveError) -> [ArchiveInputFile] {
        guard ArchiveFiles.kind(imageDirectory)?.0 == .directory else {
            throw .readFailed("\(imageDirectory) is not a folder (symbolic links are not followed)")
        }
        for required in [ImageDirLayout.statsDump, "inventory.img", ImageDirLayout.containerFacts]
        where ArchiveFiles.kind(imageDirectory + "/" + required)?.0 != .file {
            throw .readFailed("\(imageDirectory) has no \(required): not a complete crplan checkpoint (run a checkpoint plan first)")
        }
        var files: [ArchiveInputFile] = []
        for entry in try StagingDirectoryLister.listKinds(imageDirectory) {
            switch entry.kind {
            case .file:
                files.append(ArchiveInputFile(
                    archivePath: ArchiveLayout.checkpointDirectory + "/" + entry.path, localPath: imageDirectory + "/" + entry.path))
            case .directory:
                continue
            case .other(let type):
                throw .readFailed("\(imageDirectory)/\(entry.path) is a \(type); an image dir holds only files and folders")
            }
        }
        files.append(ArchiveInputFile(
            archivePath: ArchiveLayout.containerFacts, localPath: imageDirectory + "/" + ImageDirLayout.containerFacts))
        return files
    }

    /// What the saved facts say about the source, plus what the caller knows.
    public static func source(
        imageDirectory: String, engine: String = "docker", engineVersion: String? = nil, criuVersion: String? = nil
    ) -> ArchiveSource {
        var source = ArchiveSource(engine: engine, engineVersion: engineVersion, kernel: kernelRelease(), criuVersion: criuVersion)
        if let data = FileManager.default.contents(atPath: imageDirectory + "/" + ImageDirLayout.containerFacts),
            let facts = try? JSONDecoder().decode(ContainerFacts.self, from: data)
        {
            source.containerID = facts.id
            source.containerName = facts.name.isEmpty ? nil : facts.name
            source.storageDriver = facts.driver.isEmpty ? nil : facts.driver
        }
        return source
    }

    /// `uname -r`.
    public static func kernelRelease() -> String? {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        return withUnsafeBytes(of: names.release) { buffer in
            String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// Now, ISO 8601 UTC.
    public static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

extension StagingDirectoryLister {
    /// Entries below `root` with their kinds only (no hashing).
    static func listKinds(_ root: String, limit: Int = ArchiveLimits.standard.maximumFiles) throws(ArchiveError) -> [ArchiveListingEntry] {
        var entries: [ArchiveListingEntry] = []
        var pending = [""]
        while let relative = pending.popLast() {
            for name in try ArchiveFiles.list(relative.isEmpty ? root : root + "/" + relative) {
                let path = relative.isEmpty ? name : relative + "/" + name
                guard entries.count < limit else { throw .limitExceeded("more than \(limit) entries in \(root)") }
                guard let (kind, size) = ArchiveFiles.kind(root + "/" + path) else {
                    throw .readFailed("\(root)/\(path) vanished while crplan listed \(root); is something still writing there?")
                }
                entries.append(ArchiveListingEntry(path: path, kind: kind, size: size))
                if kind == .directory { pending.append(path) }
            }
        }
        return entries.sorted { $0.path < $1.path }
    }
}
