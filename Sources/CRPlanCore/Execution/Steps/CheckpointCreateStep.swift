/// `checkpoint-create` (native mode): `docker checkpoint create CONTAINER
/// NAME`, then the step's `docker inspect` (run whatever the checkpoint
/// did), checked against the step's checks: without leave-running Docker
/// stops the container, and the checkpoint (kept where Docker keeps them) is
/// the only copy of its state.
///
/// In a roundtrip the step has no `docker inspect`: `wait-container-exited`
/// right after it polls the same check (see `StepFactory.checkpointCreate`).
/// Then whether the container still runs — after a failed checkpoint, or
/// when a resume probes an interrupted one — is read from `/proc`: the
/// container's init (its pid from inspect, running the command inspect saw)
/// alive or gone.
struct CheckpointCreateStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        let bound = try context.bound()
        // The commands before the state query: preparations (migrate: the
        // staging dir), then `docker checkpoint create` last.
        let hasStateQuery = bound.commands.contains { $0.output == .containerInspect }
        let stateIndex = bound.commands.firstIndex { $0.output == .containerInspect } ?? bound.commands.count
        guard stateIndex > 0 else {
            throw StepFailure("step checkpoint-create has no command (a crplan bug: please report it)")
        }
        try context.checkStagingDir(bound)
        for index in 0..<(stateIndex - 1) {
            if bound.commands[index].output == .stagingRealPath {
                try await context.checkStagingRealPath(at: index)
            } else if StepContext.makesStagingDir(bound.commands[index]) {
                try await context.makeStagingDir(at: index)
            } else {
                try await context.runChecked(at: index)
            }
        }
        try await context.progress(["pid": String(facts.pid)])
        let created = try await context.run(bound.commands[stateIndex - 1], index: stateIndex - 1)
        guard hasStateQuery else {
            if let created, !created.result.status.isSuccess {
                let running = await Self.initRuns(context, facts: facts)
                let state = running
                    ? "container \(facts.name) is still running (its init, pid \(facts.pid), is alive)"
                    : "WARNING: the container's init (pid \(facts.pid)) is gone: check `docker checkpoint ls \(facts.id)` and `docker ps -a`"
                throw StepFailure("docker checkpoint create failed: \(created.failureDescription)", irreversible: !running, notes: [state])
            }
            return [:]
        }
        let current = try await context.containerFacts(from: try await context.runStateQuery(), reference: facts.id)
        if let created, !created.result.status.isSuccess {
            let state = current.running
                ? "container \(facts.name) is still running (pid \(current.pid))"
                : "WARNING: Docker reports container \(facts.name) `\(current.status)`: check `docker checkpoint ls \(facts.id)`"
            throw StepFailure("docker checkpoint create failed: \(created.failureDescription)", irreversible: !current.running, notes: [state])
        }
        if bound.checks.contains(.containerNotRunning), current.running {
            throw StepFailure("docker checkpoint create succeeded but Docker still reports container \(facts.name) running", irreversible: true)
        }
        if bound.checks.contains(.containerRunning), !current.running {
            throw StepFailure(
                "docker checkpoint create --leave-running succeeded but Docker reports container \(facts.name) `\(current.status)`",
                irreversible: true
            )
        }
        return ["status": current.status]
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let facts = try context.requireFacts()
        let running: Bool
        let status: String
        let hasStateQuery = try context.bound().commands.contains { $0.output == .containerInspect }
        if hasStateQuery {
            let current = try await context.containerFacts(from: try await context.runStateQuery(), reference: facts.id)
            running = current.running && current.pid == facts.pid
            status = current.status
            if current.running, !running {
                return .operatorNeeded(
                    "docker checkpoint create was interrupted and Docker reports the container running as pid \(current.pid), not \(facts.pid): "
                        + "crplan cannot tell what happened; check `docker checkpoint ls \(facts.id)`")
            }
        } else {
            running = await Self.initRuns(context, facts: facts)
            status = running ? "running" : "its init gone"
        }
        if running {
            return .rerun("the container still runs as pid \(facts.pid)")
        }
        // Docker removes the checkpoint's folder when the checkpoint fails, and CRIU
        // writes inventory.img only once every process is dumped; the container
        // stopped by the checkpoint and its init gone, the checkpoint is complete.
        let folder = try context.path(\.measuredImages, "Docker's checkpoint folder")
        if await context.host.process(facts.pid) == nil,
           try await context.host.fileType(at: folder) == .directory,
           try await context.host.fileExists(folder + "/" + CheckpointImages.inventory) {
            return .done(
                hasStateQuery ? ["status": status] : [:], reason: "the container is stopped (\(status)) and its checkpoint \(folder) holds CRIU's inventory"
            )
        }
        return .operatorNeeded(
            "docker checkpoint create was interrupted and the container is stopped (\(status)): crplan cannot tell whether the "
                + "checkpoint is complete; check `docker checkpoint ls \(facts.id)`"
        )
    }

    /// True when the container's init (the pid inspect reported) is alive
    /// and, when inspect saw its command line, still runs that command (a
    /// reused pid is another process).
    static func initRuns(_ context: StepContext, facts: ContainerFacts) async -> Bool {
        guard facts.pid > 0, let process = await context.host.process(facts.pid) else { return false }
        return context.runsContainerCommand(process) ?? true
    }

    func rollForward(_ context: StepContext, explicit: Bool) -> RollForward {
        RollForward(
            note: "docker checkpoint create succeeded and stopped the container: the checkpoint is the only copy of its state and is never deleted"
                + (explicit ? "; start it by hand with `docker start --checkpoint`" : ""),
            next: explicit ? nil : NextCommand(.resume, "to start the container from its checkpoint")
        )
    }
}
