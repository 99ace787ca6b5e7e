/// `start-from-checkpoint` (native mode): `docker start --checkpoint NAME
/// CONTAINER`, then the step's `docker inspect` (run whatever the start
/// did): Docker must report the container running with a pid, which the
/// `write-pidfile` step after it writes.
struct StartFromCheckpointStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        let bound = try context.bound()
        guard let start = bound.commands.first else {
            throw StepFailure("step start-from-checkpoint has no command (a crplan bug: please report it)")
        }
        let started = try await context.run(start, index: 0)
        let current = try await context.containerFacts(from: try await context.runStateQuery(), reference: facts.id)
        if let started, !started.result.status.isSuccess {
            throw StepFailure("docker start --checkpoint failed: \(started.failureDescription)", irreversible: current.running, notes: [
                current.running
                    ? "Docker reports container \(facts.name) running (pid \(current.pid)) anyway; crplan never stops it"
                    : "container \(facts.name) is not running; its checkpoint is kept",
            ])
        }
        guard current.running, current.pid > 0 else {
            throw StepFailure("docker start --checkpoint returned, but Docker reports container \(facts.name) `\(current.status)`")
        }
        return ["pid": String(current.pid), "status": current.status]
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let facts = try context.requireFacts()
        let current = try await context.containerFacts(from: try await context.runStateQuery(), reference: facts.id)
        guard current.running, current.pid > 0 else {
            return .rerun("Docker reports the container `\(current.status)`")
        }
        return .done(["pid": String(current.pid), "status": current.status], reason: "Docker reports the container running as pid \(current.pid)")
    }

    func rollForward(_ context: StepContext, explicit: Bool) -> RollForward {
        RollForward(
            note: "the container runs again from its checkpoint; crplan never stops it",
            next: explicit ? nil : NextCommand(.resume, "to finish the remaining steps")
        )
    }
}
