/// `check-target` (migrate): before anything is frozen, the target engine
/// must answer and run with `--experimental`, no container may hold the
/// target name there, and the source's image must be there by id — or,
/// with `target.image: require`, the migration stops here. Also refuses a
/// staging dir that already holds a checkpoint of this name, an `archive`
/// path that already exists (crplan never overwrites either), and an
/// archive folder another user could change. With `archive`, asks the
/// source's engine, kernel and CRIU versions (printed commands; a failed or
/// unreadable answer is left out of the manifest) and journals them with
/// the facts, so write-archive, inside the frozen window, runs no probe.
/// Changes nothing on either machine.
struct CheckTargetStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        let info = try await context.runCommand(at: 0)
        guard info.result.status.isSuccess else {
            throw StepFailure("the target engine does not answer: \(info.failureDescription)")
        }
        guard info.result.standardOutput.trimmingWhitespace == "true" else {
            throw StepFailure("the target engine does not run with --experimental (`docker info` says ExperimentalBuild "
                + "`\(info.result.standardOutput.trimmingWhitespace.prefix(40))`): Docker's checkpoints need it; start its dockerd with --experimental")
        }
        let name = try await context.runCommand(at: 1)
        if name.result.status.isSuccess {
            throw StepFailure("a container named `\(context.graph.migrationTarget?.name ?? "?")` already exists on the target engine: "
                + "remove it there or set `target.name` to another name; crplan never replaces a container")
        }
        guard StepContext.saysNoSuch(name.result) else {
            throw StepFailure("cannot tell whether the target name is free: \(name.failureDescription)")
        }
        let image = try await context.runCommand(at: 2)
        let present = image.result.status.isSuccess && image.result.standardOutput.trimmingWhitespace == facts.configuration?.image
        if !present, !StepContext.saysNoSuch(image.result), !image.result.status.isSuccess {
            throw StepFailure("cannot tell whether the target holds the source's image: \(image.failureDescription)")
        }
        if context.graph.operation == .restore {
            return try await checkRestore(context, imagePresent: present, image: facts.configuration?.image ?? "?")
        }
        let transfers = context.graph.step(.transferImage) != nil
        if !present, !transfers {
            throw StepFailure("the target engine lacks the source's image \(facts.configuration?.image ?? "?") and the plan says "
                + "`target.image: require`: load it there (`docker save \(facts.configuration?.image ?? "ID") | docker -H … load`) or use `transfer`")
        }
        try await context.refuseStagedCheckpoint()
        try await context.refuseExistingArchive()
        var outputs = ["imagePresent": present ? "true" : "false"]
        outputs.merge(try await context.journalSourceVersions(source: "check-target")) { _, new in new }
        return outputs
    }

    /// A restore from an archive: the image must be here (nothing is
    /// transferred in the two-job form), and the engine's storage driver
    /// must be one crplan restores onto and the one the plan names.
    private func checkRestore(_ context: StepContext, imagePresent: Bool, image: String) async throws -> [String: String] {
        guard imagePresent else {
            throw StepFailure("this engine lacks the archive's image \(image), and a restore from an archive transfers none: "
                + "on the source machine run `docker save \(image) -o image.tar` (by id, so no tag moves), carry image.tar with "
                + "the archive, and run `docker load -i image.tar` here; then run this plan again")
        }
        let info = try await context.runChecked(at: 3)
        let driver = info.result.standardOutput.trimmingWhitespace
        guard TargetContainer.supportedDrivers.contains(driver) else {
            throw StepFailure("this engine uses the storage driver `\(driver.prefix(40))`; crplan restores only onto "
                + TargetContainer.supportedDrivers.joined(separator: ", "))
        }
        if context.graph.storageDriver != .auto, context.graph.storageDriver.rawValue != driver {
            throw StepFailure("the plan says storage.driver `\(context.graph.storageDriver.rawValue)` but this engine uses `\(driver)`: "
                + "fix the plan (or use `auto`), or point `docker` at the intended engine")
        }
        return ["imagePresent": "true", "driver": driver]
    }
}
