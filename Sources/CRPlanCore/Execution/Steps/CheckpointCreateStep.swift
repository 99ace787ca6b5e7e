/// `checkpoint-create` (native mode): `docker checkpoint create CONTAINER
/// NAME`. Without leave-running Docker stops the container, and the
/// checkpoint (kept where Docker keeps them) is the only copy of its state.
struct CheckpointCreateStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        try await context.progress(["pid": String(facts.pid)])
        let run = try await context.runCommands()
        let current = try await context.host.inspectContainer(facts.id, docker: try context.dockerEndpoint())
        if let failed = run.failureDescription {
            let state = current.running
                ? "container \(facts.name) is still running (pid \(current.pid))"
                : "WARNING: Docker reports container \(facts.name) `\(current.status)`: check `docker checkpoint ls \(facts.id)`"
            throw StepFailure("docker checkpoint create failed: \(failed)", irreversible: !current.running, notes: [state])
        }
        if !context.graph.plan.criu.leaveRunning, current.running {
            throw StepFailure("docker checkpoint create succeeded but Docker still reports container \(facts.name) running", irreversible: true)
        }
        return ["status": current.status]
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let facts = try context.requireFacts()
        let current = try await context.host.inspectContainer(facts.id, docker: try context.dockerEndpoint())
        if current.running, current.pid == facts.pid {
            return .rerun("the container still runs as pid \(facts.pid)")
        }
        return .operatorNeeded(
            "docker checkpoint create was interrupted and the container is `\(current.status)`: crplan cannot tell whether the "
                + "checkpoint is complete; check `docker checkpoint ls \(facts.id)`"
        )
    }

    func isPointOfNoReturn(_ step: Step, in graph: StepGraph) -> Bool {
        !graph.plan.criu.leaveRunning
    }

    func rollForwardNote(_ context: StepContext, explicit: Bool) -> String {
        let way = explicit
            ? "start it by hand with `docker start --checkpoint`"
            : "continue with `crplan resume \(context.graph.planName)`"
        return "docker checkpoint create succeeded and stopped the container: the checkpoint is the only copy of its state and is never deleted; \(way)"
    }
}
