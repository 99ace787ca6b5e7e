/// `check-archive` (checkpoint with `archive`): before the container is
/// frozen, refuses an archive path that exists, an archive folder another
/// user can write, and a staging dir holding a checkpoint of this name.
/// Writes and removes only `<archive>.partial`, which write-archive makes anew.
/// Then asks the source's engine, kernel and CRIU versions (printed
/// commands) and journals them with the facts for write-archive's manifest.
struct CheckArchiveStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        _ = try context.requireFacts()
        try await context.refuseStagedCheckpoint()
        try await context.refuseExistingArchive()
        let archive = try context.path(\.archive, "the archive path")
        do {
            try await context.checkArchiveFolder(partial: archive + ".partial")
        } catch let error as HostError {
            throw StepFailure("crplan cannot write the archive beside \(archive): \(error.description); the folder must exist, "
                + "be root's and writable by nobody else, with no link on its way")
        }
        var outputs = ["archive": archive]
        outputs.merge(try await context.journalSourceVersions(source: "check-archive")) { _, new in new }
        return outputs
    }
}
