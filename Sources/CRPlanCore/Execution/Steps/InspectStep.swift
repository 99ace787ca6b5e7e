/// `inspect`: resolve the container to its full id, refuse what cannot be
/// checkpointed (or restored), journal the facts, lock the container id, and
/// for an external checkpoint prepare the image dir and save the facts there
/// so a later restore-only run can use them.
struct InspectStep: StepBehavior {
    static let supportedDrivers = ["aufs", "overlay", "overlay2", "vfs"]

    func run(_ context: StepContext) async throws -> [String: String] {
        let graph = context.graph
        let reference = graph.container.value
        let docker = try context.dockerEndpoint()
        var facts: ContainerFacts
        do {
            facts = try await context.host.inspectContainer(reference, docker: docker)
        } catch .containerNotFound {
            throw StepFailure("Docker knows no container `\(reference)`: check the plan's container with `docker ps -a`")
        } catch {
            throw StepFailure(error.description)
        }
        let label = "container \(reference)" + (facts.id == reference ? "" : " (\(facts.id))")
        switch graph.operation {
        case .checkpoint, .roundtrip:
            guard facts.running, facts.pid > 0 else {
                throw StepFailure("\(label) is not running (Docker status `\(facts.status)`): there is nothing to checkpoint")
            }
            if facts.initCommandLine == nil, let process = await context.host.process(facts.pid) {
                facts.initCommandLine = process.commandLine
            }
        case .restore:
            guard !facts.running else {
                throw StepFailure("\(label) is running: restoring its checkpoint would start a second copy; stop it first")
            }
        }
        if graph.mode == .external {
            try checkDriver(facts, label: label, plan: graph.plan)
        }
        try await context.bindFacts(facts, source: "inspect")

        var outputs = [
            "containerID": facts.id, "containerName": facts.name, "pid": String(facts.pid),
            "status": facts.status, "driver": facts.driver, "rootfs": facts.rootfs,
        ]
        if graph.mode == .external, graph.operation != .restore {
            try await prepareImageDirectory(context, facts: facts, outputs: &outputs)
        }
        return outputs
    }

    private func checkDriver(_ facts: ContainerFacts, label: String, plan: Plan) throws {
        switch plan.storage.driver {
        case .auto:
            guard Self.supportedDrivers.contains(facts.driver) else {
                throw StepFailure("\(label) uses the storage driver `\(facts.driver)`, which external C/R cannot serve (supported: \(Self.supportedDrivers.joined(separator: ", ")))")
            }
        case let driver:
            guard facts.driver == driver.rawValue else {
                throw StepFailure("the plan says storage.driver `\(driver.rawValue)` but Docker reports `\(facts.driver)` for \(label): fix the plan or use `auto`")
            }
        }
    }

    /// Refuses (or, with keep-existing, moves aside) a complete checkpoint,
    /// creates the dir 0700 and saves the facts in it.
    private func prepareImageDirectory(_ context: StepContext, facts: ContainerFacts, outputs: inout [String: String]) async throws {
        let host = context.host
        let directory = try context.imageDirectory()
        if try await CheckpointImages.isComplete(directory, host: host) {
            guard context.options.keepExistingCheckpoint else {
                throw StepFailure(
                    "\(directory) already holds a complete checkpoint (it has \(ImageDirLayout.statsDump)); crplan never overwrites one: "
                        + "move it away, choose another imageDir, or pass --keep-existing to keep it under a new name"
                )
            }
            let aside = try await context.asidePath(for: directory, label: "")
            try await context.progress(["movedExistingCheckpointTo": aside])
            try await host.move(from: directory, to: aside)
            outputs["movedExistingCheckpointTo"] = aside
            await context.note("kept the earlier checkpoint of \(directory) as \(aside)")
        }
        try await host.makeDirectory(at: directory, mode: 0o700)
        let factsPath = directory + "/" + ImageDirLayout.containerFacts
        try await host.writeFileAtomically(at: factsPath, contents: try CheckpointImages.encodeFacts(facts), mode: 0o600)
        outputs["imageDir"] = directory
        outputs["factsFile"] = factsPath
    }
}
