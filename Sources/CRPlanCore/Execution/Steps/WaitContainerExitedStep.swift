/// `wait-container-exited`: after a dump Docker sees the container die and
/// (external mode) tears down its root mount. A root rebuilt before that
/// would be unmounted under the restored process, so the step runs its
/// polling `docker inspect` (as printed) and reads the mount table until its
/// checks hold, within the step's time limit.
struct WaitContainerExitedStep: StepBehavior {
    /// It asks Docker (`docker inspect`) and reads mountinfo; a resume asks again.
    var changesNothing: Bool { true }

    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let facts = try context.requireFacts()
        let bound = try context.bound()
        guard let poll = bound.commands.first(where: { $0.output == .containerInspect }) else {
            throw StepFailure("step wait-container-exited has no polling command (a crplan bug: please report it)")
        }
        let interval = Duration.milliseconds(poll.pollInterval?.milliseconds ?? 100)
        let unmounted: [String] = try bound.checks.compactMap { check in
            guard case .notMountPoint(let path) = check else { return nil }
            return try context.literal(path, "the container's root")
        }
        let started = await host.now()
        var polls = 0
        while true {
            polls += 1
            let completed = try await context.runStateQuery()
            let current: ContainerFacts
            do {
                current = try await context.containerFacts(from: completed, reference: facts.id)
            } catch HostError.containerNotFound {
                throw StepFailure(
                    "Docker removed container \(facts.name) (\(facts.id)) after the dump (was it started with --rm?): its files and root "
                        + "filesystem layers are gone, so it cannot be restored here; the images are kept"
                )
            }
            var stillMounted: String?
            for path in unmounted where try await host.isMountPoint(path) {
                stillMounted = path
            }
            let now = await host.now()
            if !current.running, stillMounted == nil {
                return ["status": current.status, "waitedMilliseconds": String(now.milliseconds(since: started)), "polls": String(polls)]
            }
            // Fail now when no further poll would fit before the deadline.
            if now.adding(milliseconds: interval.wholeMilliseconds) >= context.deadline {
                let waited = Double(now.milliseconds(since: started)) / 1000
                let reason = current.running
                    ? "Docker still reports container \(facts.name) running (status `\(current.status)`)"
                    : "Docker has not unmounted the container's root \(stillMounted ?? facts.rootfs)"
                throw StepFailure(
                    "after \(waited)s \(reason); the images are kept: check `docker ps -a`, then resume the run",
                    next: [NextCommand(.resume, "to wait again and restore")]
                )
            }
            await host.sleep(for: interval)
        }
    }
}
