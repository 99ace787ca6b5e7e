/// `open-archive` (restore with `archive`): before anything touches Docker,
/// the printed `stat` must show a root-owned regular file in folders only
/// root can change; the printed `df` must show room for the archive's
/// bounded decompressed size (`ArchiveOpening`); this run's staging dir is
/// made by an exclusive `mkdir` (its progress journaled, so only a folder
/// this run made is ever removed); the printed `zstd | head | tar --list`
/// is checked by `TarListing` before the printed `zstd | head | tar
/// --extract` unpacks into it; the host then verifies the tree against the
/// manifest (`Host.verifyUnpackedArchive`, the checks of `crplan import`).
/// Last, the archive's facts are read bounded and validated
/// (`ArchiveContainerFacts`), create-target is bound with them (so a setting
/// that cannot be carried is refused now, by name), and they are journaled
/// as the run's facts. Undo (and a resume of an interrupted attempt) removes
/// this run's staging dir; the archive is never touched.
struct OpenArchiveStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let commands = try context.bound().commands
        guard commands.count == 11, commands[0].output == .fileStatus, commands[3].output == .freeSpace,
              commands[7].output == .archiveListing, StepContext.makesStagingDir(commands[4]) else {
            throw StepFailure("step open-archive does not have its eleven commands (a crplan bug: please report it)")
        }
        let archive = try context.path(\.archive, "the archive path")
        let staging = try context.path(\.imageDir, "the staging dir")
        let limits = ArchiveLimits.standard

        let status = try await context.runChecked(at: 0)
        let archiveSize: Int64
        do {
            archiveSize = try ArchiveOpening.checkTrust(statOutput: status.result.standardOutput, archive: archive)
        } catch {
            throw StepFailure(error.description)
        }
        guard archiveSize <= limits.maximumArchiveSize else {
            throw StepFailure("the archive \(archive) is \(archiveSize) bytes, more than the \(limits.maximumArchiveSize) crplan opens")
        }
        let bound = ArchiveOpening.unpackBound(archiveSize: archiveSize, limits: limits)
        try context.checkStagingDir(try context.bound())
        try await context.checkStagingRealPath(at: 1)
        try await context.runChecked(at: 2)
        let df = try await context.runChecked(at: 3)
        do {
            try ArchiveOpening.checkFreeSpace(try ArchiveOpening.freeBytes(dfOutput: df.result.standardOutput), bound: bound, folder: staging)
        } catch {
            throw StepFailure(error.description)
        }
        try await context.makeStagingDir(at: 4)
        try await context.progress(["staging": staging, "unpackBound": String(bound)])

        let withBound: Step
        do {
            withBound = try context.step.bound(to: context.facts, run: RunValues(runID: context.session.runID, archiveUnpackBound: bound))
        } catch {
            throw StepFailure("step open-archive: \(error.description)")
        }
        let listing = try await context.runPipeline(Array(withBound.commands[5...7]), index: 5)
        guard listing.result.status.isSuccess else {
            throw StepFailure("the archive is corrupt, truncated or larger than \(bound - 1) bytes decompressed "
                + "(`zstd | head | tar --list` failed): \(listing.failureDescription)")
        }
        guard !listing.result.standardOutputTruncated else {
            throw StepFailure("the archive's listing is longer than crplan reads: too many members")
        }
        let entries: [TarListingEntry]
        do {
            entries = try TarListing.check(Array(listing.result.standardOutput.utf8), limits: limits)
        } catch {
            throw StepFailure("the archive is refused before anything was extracted: \(error.description)")
        }
        guard let manifestEntry = entries.first(where: { $0.name == ArchiveLayout.manifest && $0.type == "-" }) else {
            throw StepFailure("the archive is refused before anything was extracted: \(ArchiveError.missingManifest.description)")
        }
        let extract = try await context.runPipeline(Array(withBound.commands[8...10]), index: 8)
        guard extract.result.status.isSuccess else {
            throw StepFailure("tar cannot unpack the archive (corrupt, truncated or hostile): \(extract.failureDescription)")
        }
        let manifest: ArchiveManifest
        do {
            manifest = try await context.host.verifyUnpackedArchive(at: staging, listedManifestSize: manifestEntry.size, limits: limits)
        } catch {
            throw StepFailure("the archive is refused, nothing of it is used: \(error.description)")
        }

        func member(_ name: String) async throws -> [UInt8] {
            guard let record = manifest.files.first(where: { $0.path == name }) else {
                throw StepFailure("the archive has no \(name): it was not written by a migrate or checkpoint with `archive`")
            }
            guard record.size <= Int64(ArchiveContainerFacts.maximumFileSize) else {
                throw StepFailure("the archive's \(name) is \(record.size) bytes, more than the \(ArchiveContainerFacts.maximumFileSize) crplan reads")
            }
            return try await context.host.readFile(at: staging + "/" + name)
        }
        var facts: ContainerFacts
        do {
            facts = try ArchiveContainerFacts.decode(
                facts: try await member(ArchiveLayout.containerFacts), config: try await member(ArchiveLayout.containerConfig),
                deleted: try await member(ArchiveLayout.rootfsDeleted), runID: context.session.runID)
        } catch let error as ArchiveFactsError {
            throw StepFailure(error.description)
        }
        guard manifest.files.contains(where: { $0.path == ArchiveLayout.rootfsChanges }),
              manifest.files.contains(where: { $0.path.hasPrefix(ArchiveLayout.checkpointDirectory + "/") }) else {
            throw StepFailure("the archive lacks \(ArchiveLayout.rootfsChanges) or a checkpoint: nothing to restore from")
        }
        do {
            _ = try context.graph.step(.createTarget)?.bound(to: facts)
        } catch {
            throw StepFailure(error.description)
        }
        try await context.bindFacts(facts, source: "open-archive")
        return [
            "staging": staging, "archiveBytes": String(archiveSize), "unpackBound": String(bound), "members": String(manifest.files.count),
            "sourceContainer": facts.id, "sourceImage": facts.configuration?.image ?? "",
        ]
    }

    /// An interrupted attempt may have left part of the archive in this
    /// run's staging dir: remove it (only once the attempt journaled that
    /// it made the folder) and open the archive again.
    func probe(_ context: StepContext) async throws -> ProbeDecision {
        guard context.record?.outputs["staging"] != nil else {
            return .rerun("the interrupted attempt made no staging dir; the archive is opened again")
        }
        guard case .commands(let undo) = context.step.undo else {
            return .operatorNeeded("cannot remove the staging dir of the interrupted attempt")
        }
        for (index, command) in undo.enumerated() {
            let bound = try command.bound(to: context.facts, run: RunValues(runID: context.session.runID))
            guard let completed = try await context.run(bound, index: 100 + index), completed.result.status.isSuccess else {
                return .operatorNeeded("cannot remove the staging dir of the interrupted attempt (see the step's logs)")
            }
        }
        return .rerun("removed the staging dir the interrupted attempt filled; the archive is opened again")
    }
}
