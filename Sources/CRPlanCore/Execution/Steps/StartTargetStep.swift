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

/// `verify-migration` (migrate): the target runs the source's command
/// (Docker's `Path` and `Args` on the target equal the source's entrypoint
/// and command), and the source is stopped (a move) or still running (a copy).
struct VerifyMigrationStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        let target = try context.targetState(try await context.runCommand(at: 0))
        guard target.running, target.pid > 0 else {
            throw StepFailure("the target engine reports the migrated container `\(target.status)`, not running")
        }
        if let configuration = facts.configuration {
            let expected = configuration.entrypoint + configuration.command
            guard target.commandLine == expected else {
                throw StepFailure("the target container runs `\(ShellQuoting.line(target.commandLine))`, not the source's `\(ShellQuoting.line(expected))`")
            }
        }
        let sourceQuery = try await context.runCommand(at: 1)
        let source = try await context.containerFacts(from: sourceQuery, reference: facts.id)
        let copy = context.graph.step(.checkpointCreate)?.checks.contains(.containerRunning) ?? false
        if copy, !source.running {
            throw StepFailure("a copy must leave the source running, but the source engine reports it `\(source.status)`")
        }
        if !copy, source.running {
            throw StepFailure("the source container runs again (pid \(source.pid)) while the target runs: two copies of the workload; stop one by hand")
        }
        return ["targetPid": String(target.pid), "sourceStatus": source.status]
    }
}

/// `finalize-source` (migrate, `target.source: remove`): `docker rm` of the
/// stopped source container; a source already gone counts as done.
struct FinalizeSourceStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let removed = try await context.runCommand(at: 0)
        if !removed.result.status.isSuccess, !StepContext.saysNoSuch(removed.result) {
            throw StepFailure("removing the source container failed: \(removed.failureDescription)")
        }
        return ["removed": "true"]
    }
}
