import CRPlanCore
import Glibc

/// How `ArchiveReader` puts the tar it checks into its private staging
/// folder without letting an archive write more than it may: a zstd
/// archive must start with `manifest.json` (checked on its first 64 KiB)
/// and decompresses to at most the smallest of the limits' tar size, its
/// compressed size × `maximumExpansionRatio`, and the staging budget.
extension ArchiveReader {
    /// The bytes of decompressed tar decoded to check the first member.
    static let firstMemberProbe = 64 << 10

    /// What the staging folder may hold of the tar: half of what is free on
    /// `parent`'s file system beyond `stagingReserve` (the tar, then its
    /// extraction, which the listing check keeps within the tar's size);
    /// nil when the host cannot tell.
    func stagingBudget(in parent: String) async throws(ArchiveError) -> Int64? {
        let free: Int64?
        do { free = try await host.availableBytes(at: parent) } catch {
            throw .readFailed("cannot tell the free space beside the destination: \(error.description)")
        }
        guard let free else { return nil }
        let budget = (free - limits.stagingReserve) / 2
        guard budget > 0 else {
            throw .writeFailed(
                "\(parent) has \(free) bytes free; crplan keeps \(limits.stagingReserve) free and needs room there for the "
                    + "tar and its extraction: free space, or import into a folder on another file system")
        }
        return budget
    }

    /// The tar to list and extract, always a file of `staging` that nobody
    /// else can change between the two: a plain tar is copied there once
    /// (the caller's path is never read twice), a zstd archive decompressed
    /// there, bounded.
    func stagedTar(_ archive: String, size: Int64, staging: String, budget: Int64?) async throws(ArchiveError) -> String {
        let head = try Self.readSmallFile(archive, limit: 4, refuseLonger: false)
        let staged = staging + "/archive.tar"
        guard head == Self.zstdMagic else {
            if let budget, size > budget {
                throw .writeFailed(
                    "\(archive) is \(size) bytes; importing it needs twice that beside the destination (a private copy and its "
                        + "extraction) plus \(limits.stagingReserve) bytes kept free: free space, or import into a folder on another file system")
            }
            try ArchiveFiles.copyBounded(from: archive, to: staged, limit: size)
            return staged
        }
        try await requireManifestFirst(archive, staging: staging)
        var bound = limits.maximumTarSize
        var because = "the limits allow \(limits.maximumTarSize) bytes"
        let (byRatio, overflow) = size.multipliedReportingOverflow(by: limits.maximumExpansionRatio)
        if !overflow, byRatio < bound {
            bound = byRatio
            because = "more than \(limits.maximumExpansionRatio) times its \(size) bytes, as no checkpoint does; "
                + "if it is genuine, decompress it with zstd -d and import the tar"
        }
        if let budget, budget < bound {
            bound = budget
            because = "more than half of the space free beside the destination (less \(limits.stagingReserve) bytes kept free); "
                + "free space, or import into a folder on another file system"
        }
        let decompressed = staged
        do {
            try await runChecked(
                [PipelineStage(decompressArgv(archive)), PipelineStage(["head", "-c", String(bound + 1)])],
                output: decompressed,
                failure: { "\(archive) is not a valid zstd stream (corrupt or truncated): \($0)" })
        } catch {
            // zstd dies of SIGPIPE once head stops: the bound, not the stream, is the problem
            guard (ArchiveFiles.regularFileSize(decompressed) ?? 0) > bound else { throw error }
        }
        if let written = ArchiveFiles.regularFileSize(decompressed), written > bound {
            unlink(decompressed)
            throw .limitExceeded("\(archive) decompresses to more than \(bound) bytes: \(because)")
        }
        return decompressed
    }

    func decompressArgv(_ archive: String) -> [String] {
        [zstd, "-d", "-q", "-c", "--", archive]
    }

    /// Decompresses the first 64 KiB and lets tar list what it can of them:
    /// the first member must be the regular file `manifest.json` (crplan
    /// writes it first), so an archive of something else is refused before
    /// anything large is written.
    func requireManifestFirst(_ archive: String, staging: String) async throws(ArchiveError) {
        let probe = staging + "/first-member.tar", listing = staging + "/first-member.listing"
        defer {
            unlink(probe)
            unlink(listing)
        }
        // both end early by design (head stops zstd; tar meets the cut): only the output counts
        let decompressed = try await runUnchecked(
            [PipelineStage(decompressArgv(archive)), PipelineStage(["head", "-c", String(Self.firstMemberProbe)])],
            output: probe)
        guard (ArchiveFiles.regularFileSize(probe) ?? 0) > 0 else {
            throw .readFailed(
                "\(archive) is not a valid zstd stream (corrupt or truncated): \(Self.lastLines(decompressed.standardError))")
        }
        _ = try await runUnchecked([PipelineStage(listArgv(probe))], output: listing)
        let lines = try Self.readSmallFile(listing, limit: Self.firstMemberProbe, refuseLonger: false)
        guard let first = lines.split(separator: 0x0a).first,
            let entry = try? TarListing.parse(String(decoding: first, as: UTF8.self)),
            entry.type == "-", entry.name == ArchiveLayout.manifest
        else {
            throw .limitExceeded("\(archive) does not start with \(ArchiveLayout.manifest) as crplan's archives do; not decompressed")
        }
    }
}
