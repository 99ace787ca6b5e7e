/// `start-from-checkpoint` (native mode): `docker start --checkpoint NAME
/// CONTAINER`; afterwards Docker must report the container running, and the
/// plan's pidfile gets `State.Pid` (here, unless a `write-pidfile` step follows).
struct StartFromCheckpointStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let facts = try context.requireFacts()
        let run = try await context.runCommands()
        let current = try await host.inspectContainer(facts.id, docker: try context.dockerEndpoint())
        if let failed = run.failureDescription {
            throw StepFailure("docker start --checkpoint failed: \(failed)", irreversible: current.running, notes: [
                current.running
                    ? "Docker reports container \(facts.name) running (pid \(current.pid)) anyway; crplan never stops it"
                    : "container \(facts.name) is not running; its checkpoint is kept",
            ])
        }
        guard current.running, current.pid > 0 else {
            throw StepFailure("docker start --checkpoint returned, but Docker reports container \(facts.name) `\(current.status)`")
        }
        var outputs = ["pid": String(current.pid), "status": current.status]
        if context.graph.step(.writePidfile) == nil {
            let path = try context.resolve(context.graph.plan.restore.pidfile, purpose: "find the plan's pidfile")
            try await context.progress(["pidfile": path, "pid": String(current.pid)])
            try await host.writeFileAtomically(at: path, contents: Array("\(current.pid)\n".utf8), mode: 0o644)
            outputs["pidfile"] = path
            outputs["wroteFile"] = path
        }
        return outputs
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let facts = try context.requireFacts()
        let current = try await context.host.inspectContainer(facts.id, docker: try context.dockerEndpoint())
        guard current.running, current.pid > 0 else {
            return .rerun("Docker reports the container `\(current.status)`")
        }
        var outputs = ["pid": String(current.pid), "status": current.status]
        if context.graph.step(.writePidfile) == nil {
            let path = try context.resolve(context.graph.plan.restore.pidfile, purpose: "find the plan's pidfile")
            guard try await context.readPid(at: path) == current.pid else {
                return .operatorNeeded(
                    "Docker reports the container running as pid \(current.pid), but \(path) does not name it: write it by hand "
                        + "(`crplan resume` would start the container a second time)"
                )
            }
            outputs["pidfile"] = path
            outputs["wroteFile"] = path
        }
        return .done(outputs, reason: "Docker reports the container running as pid \(current.pid)")
    }

    func isPointOfNoReturn(_ step: Step, in graph: StepGraph) -> Bool { true }

    func rollForwardNote(_ context: StepContext, explicit: Bool) -> String {
        "the container runs again from its checkpoint; crplan never stops it"
            + (explicit ? "" : "; continue with `crplan resume \(context.graph.planName)` to finish the remaining steps")
    }
}
