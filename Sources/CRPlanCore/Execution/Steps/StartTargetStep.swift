/// `start-target` (migrate): `docker start --checkpoint NAME <target id>`
/// on the target, then the target's printed `docker inspect` (run whatever
/// the start did). Its success is the point of no return: the workload runs
/// on the target. A probe asks the target first and never starts it twice.
struct StartTargetStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let started = try await context.runCommand(at: 0)
        let state = try context.targetState(try await context.runStateQuery())
        if !started.result.status.isSuccess {
            throw StepFailure("docker start --checkpoint on the target failed: \(started.failureDescription)", irreversible: state.running, notes: [
                state.running
                    ? "the target engine reports the target container running (pid \(state.pid)) anyway; crplan never stops it"
                    : "the target container is not running; the checkpoint is kept",
            ])
        }
        guard state.running, state.pid > 0 else {
            throw StepFailure("docker start --checkpoint returned, but the target engine reports the container `\(state.status)`")
        }
        return ["targetPid": String(state.pid), "status": state.status]
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let state = try context.targetState(try await context.runStateQuery())
        guard state.running, state.pid > 0 else {
            return .rerun("the target engine reports the target container `\(state.status)`")
        }
        return .done(["targetPid": String(state.pid), "status": state.status], reason: "the target container runs (pid \(state.pid) on the target)")
    }

    func rollForward(_ context: StepContext, explicit: Bool) -> RollForward {
        RollForward(
            note: "the workload runs on the target from its checkpoint; crplan never stops it, and never starts the source again",
            next: explicit ? nil : NextCommand(.resume, "to verify and finish the migration")
        )
    }
}
