/// `load-checkpoint` (restore-only plans): the image dir must hold a
/// complete checkpoint and the facts crplan saved when it made it; those
/// facts (not the exited container's) bind the restore.
struct LoadCheckpointStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let directory = try context.path(\.imageDir, "image dir")
        guard try await host.fileType(at: directory) == .directory else {
            throw StepFailure("there is no checkpoint at \(directory): check the plan's imageDir")
        }
        guard try await CheckpointImages.isComplete(directory, host: host) else {
            throw StepFailure(
                "\(directory) does not hold a complete checkpoint (no \(ImageDirLayout.statsDump) or \(CheckpointImages.inventory): "
                    + "the dump did not finish); see \(directory)/\(ImageDirLayout.dumpLog)"
            )
        }
        let factsPath = try context.path(\.factsFile, "facts file")
        guard try await host.fileExists(factsPath) else {
            throw StepFailure("\(directory) has no \(ImageDirLayout.containerFacts): it was not made by a crplan checkpoint, so crplan cannot rebuild the container's root for it")
        }
        var saved: ContainerFacts
        do {
            saved = try CheckpointImages.decodeFacts(try await host.readFile(at: factsPath))
        } catch let error as HostError {
            throw error
        } catch {
            throw StepFailure("cannot read the saved facts \(factsPath): \(error)")
        }
        // The file is input like any other: a tampered one must not steer
        // mounts or criu --root (same checks as Docker's own answers).
        let dockerHome = try context.path(\.dockerHome, "Docker data root")
        do {
            guard saved.dockerHome == dockerHome else {
                throw StepFailure("the saved facts \(factsPath) were read against Docker data root \(saved.dockerHome), not the plan's \(dockerHome)")
            }
            try saved.validate(dockerHome: dockerHome)
        } catch let error as FactsValidationError {
            throw StepFailure("the saved facts \(factsPath) cannot be used: \(error)")
        }
        if let current = context.facts, current.id != saved.id {
            throw StepFailure("the checkpoint in \(directory) belongs to container \(saved.id), not to \(current.id)")
        }
        saved.running = false
        try await context.bindFacts(saved, source: "checkpoint")
        return ["imageDir": directory, "containerID": saved.id, "rootfs": saved.rootfs, "driver": saved.driver]
    }
}
