/// The checks of where a run puts its checkpoint and its archive, shared
/// by check-target (migrate), check-archive (checkpoint with `archive`) and
/// write-archive: crplan never overwrites a checkpoint or replaces a file,
/// and it writes the archive as root only in a folder nobody else can write.
extension StepContext {
    /// Refuses a staging dir (the step's bound `imageDir`) that already holds
    /// a checkpoint of the name checkpoint-create gives.
    func refuseStagedCheckpoint() async throws {
        guard let staging = try bound().paths.imageDir?.literalValue, let name = stagedCheckpointName else { return }
        let staged = staging + "/" + name
        if try await host.fileType(at: staged) != nil {
            throw StepFailure("\(staged) already holds a checkpoint named `\(name)` from an earlier run; crplan never overwrites one: "
                + "move it away, or choose another imageDir or restore.checkpoint")
        }
    }

    /// Refuses an `archive` path (the step's bound `archive`) that exists,
    /// and a folder for it that another user could change (not root's, or
    /// group/world writable, sticky or not: `Host.checkTrustedDirectory`, the
    /// check write-archive's own writes apply), so neither stops the run
    /// only after the checkpoint.
    func refuseExistingArchive() async throws {
        guard let archive = try bound().paths.archive?.literalValue else { return }
        if try await host.fileType(at: archive) != nil {
            throw StepFailure("\(archive) already exists; crplan never replaces a file: move it away or set `archive` to a new path")
        }
        let folder = PathBytes.parentAndName(archive).parent.map { $0.isEmpty ? "/" : String($0) } ?? "/"
        do { try await host.checkTrustedDirectory(at: folder) } catch {
            throw StepFailure("the archive's folder cannot take it: \(error.description); write-archive would refuse it after the checkpoint, "
                + "so crplan stops here: set `archive` in a folder only root can change, e.g. /var/lib/crplan/archives")
        }
    }

    /// zstd opens `-o` following a link, so nobody but root may be able to
    /// plant one at the partial's name: crplan writes `<archive>.partial`
    /// itself, which refuses a folder (or a link on its way) that another
    /// user can write (the host's trusted-path check) and replaces any link
    /// already there, then removes it so zstd makes it anew.
    func checkArchiveFolder(partial: String) async throws {
        try await host.writeFileAtomically(at: partial, contents: [], mode: 0o600)
        try await host.removeFile(at: partial)
    }

    /// The checkpoint's name, from the checkpoint-create step's `docker checkpoint create … NAME`.
    private var stagedCheckpointName: String? {
        guard let step = graph.step(.checkpointCreate) else { return nil }
        for command in step.commands {
            guard case .value(let last)? = command.arguments.last, command.arguments.contains(.value(Template(literal: "checkpoint"))) else { continue }
            return last.literalValue
        }
        return nil
    }
}
