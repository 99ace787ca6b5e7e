/// `check-archive` (checkpoint with `archive`): before the container is
/// frozen, refuses an archive path that exists, an archive folder another
/// user can write, and a staging dir holding a checkpoint of this name.
/// Writes and removes only `<archive>.partial`, which write-archive makes anew.
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
        return ["archive": archive]
    }
}
