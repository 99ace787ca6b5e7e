/// `inspect`: run the step's `docker inspect` (as printed), decode it into
/// the container's facts, check them against the step's checks (running
/// before a checkpoint, not running before a restore, a storage driver
/// external C/R serves), journal the facts, lock the container id, and for
/// an external checkpoint prepare the image dir and save the facts there so
/// a later restore-only run can use them.
struct InspectStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let reference = context.graph.container.value
        let run = try await context.runCommands()
        guard let completed = run.completed.last else {
            throw StepFailure("step inspect ran no docker inspect (a crplan bug: please report it)")
        }
        var facts: ContainerFacts
        do {
            facts = try await context.containerFacts(from: completed, reference: reference)
        } catch HostError.containerNotFound {
            throw StepFailure("Docker knows no container `\(reference)`: check the plan's container with `docker ps -a`")
        } catch let error as HostError {
            throw StepFailure(
                completed.result.status.isSuccess
                    ? "cannot use what `\(ShellQuoting.line(completed.invocation.argv))` printed: \(error)"
                    : "\(completed.failureDescription): \(error)"
            )
        }
        let label = "container \(reference)" + (facts.id == reference ? "" : " (\(facts.id))")
        for check in context.step.checks {
            switch check {
            case .containerRunning:
                guard facts.running, facts.pid > 0 else {
                    let state = facts.running ? "Docker reports it running but without a process (pid \(facts.pid))" : "Docker status `\(facts.status)`"
                    throw StepFailure("\(label) is not running (\(state)): there is nothing to checkpoint")
                }
                if facts.initCommandLine == nil, let process = await context.host.process(facts.pid) {
                    facts.initCommandLine = process.commandLine
                }
            case .containerNotRunning:
                guard !facts.running else {
                    throw StepFailure("\(label) is running: restoring its checkpoint would start a second copy; stop it first")
                }
            case .storageDriver(let drivers):
                guard drivers.contains(facts.driver) else {
                    throw StepFailure(
                        drivers.count == 1
                            ? "the plan says storage.driver `\(drivers[0])` but Docker reports `\(facts.driver)` for \(label): fix the plan or use `auto`"
                            : "\(label) uses the storage driver `\(facts.driver)`, which external C/R cannot serve (supported: \(drivers.joined(separator: ", ")))"
                    )
                }
            case .notMountPoint, .logContains, .savedFactsMatchContainer, .processAlive, .freshStagingDir:
                throw StepFailure("step inspect cannot check \(check) (a crplan bug: please report it)")
            }
        }
        if context.graph.stagesCheckpoint {
            try checkMigratable(context, facts: &facts, output: completed.result)
            // Names this run's staging folder `<imageDir>/<run id>`; journaled with the facts.
            facts.runID = context.session.runID
        }
        try await context.bindFacts(facts, source: "inspect")

        var outputs = [
            "containerID": facts.id, "containerName": facts.name, "pid": String(facts.pid),
            "status": facts.status, "driver": facts.driver, "rootfs": facts.rootfs,
        ]
        if context.step.paths.factsFile != nil {
            try await prepareImageDirectory(context, facts: facts, outputs: &outputs)
        }
        return outputs
    }

    /// Migrate: decodes the source's configuration from the same printed
    /// inspect and binds the create-target step with it now, so a setting
    /// that cannot be carried is refused, by name, before anything happens.
    private func checkMigratable(_ context: StepContext, facts: inout ContainerFacts, output: CommandResult) throws {
        if facts.configuration == nil {
            guard !output.standardOutputTruncated else {
                throw StepFailure("the source's docker inspect output is larger than crplan reads")
            }
            do {
                facts.configuration = try SourceConfiguration(inspectJSON: Array(output.standardOutput.utf8))
            } catch {
                throw StepFailure(error.description)
            }
        }
        do {
            _ = try context.graph.step(.createTarget)?.bound(to: facts)
        } catch {
            throw StepFailure(error.description)
        }
    }

    /// Refuses (or, with keep-existing, moves aside) a complete checkpoint,
    /// creates the dir 0700 and saves the facts in it.
    private func prepareImageDirectory(_ context: StepContext, facts: ContainerFacts, outputs: inout [String: String]) async throws {
        let host = context.host
        let directory = try context.path(\.imageDir, "image dir")
        if try await CheckpointImages.isComplete(directory, host: host) {
            guard context.options.keepExistingCheckpoint else {
                throw StepFailure(
                    "\(directory) already holds a complete checkpoint (it has \(ImageDirLayout.statsDump)); crplan never overwrites one: "
                        + "move it away, choose another imageDir, or pass --keep-existing to keep it under a new name"
                )
            }
            let aside = try await context.moveAside(directory, label: "", key: "movedExistingCheckpointTo")
            outputs["movedExistingCheckpointTo"] = aside
            await context.note("kept the earlier checkpoint of \(directory) as \(aside)")
        }
        try await host.makeDirectory(at: directory, mode: 0o700)
        let factsPath = try context.path(\.factsFile, "facts file")
        try await host.writeFileAtomically(at: factsPath, contents: try CheckpointImages.encodeFacts(facts), mode: 0o600)
        outputs["imageDir"] = directory
        outputs["factsFile"] = factsPath
    }
}
