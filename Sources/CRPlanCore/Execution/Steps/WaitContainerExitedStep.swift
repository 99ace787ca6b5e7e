/// `wait-container-exited`: after an external dump Docker sees the
/// container die and tears down its root mount. A root rebuilt before that
/// would be unmounted under the restored process, so poll `docker inspect`
/// and the mount table until Docker reports it not running and the root is
/// no longer a mount point, within the step's time limit.
struct WaitContainerExitedStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let facts = try context.requireFacts()
        let docker = try context.dockerEndpoint()
        let started = await host.now()
        while true {
            let current: ContainerFacts
            do {
                current = try await host.inspectContainer(facts.id, docker: docker)
            } catch .containerNotFound {
                throw StepFailure(
                    "Docker removed container \(facts.name) (\(facts.id)) after the dump (was it started with --rm?): its files and root "
                        + "filesystem layers are gone, so it cannot be restored here; the images are kept"
                )
            } catch {
                throw StepFailure(error.description)
            }
            let mounted = try await host.isMountPoint(facts.rootfs)
            let now = await host.now()
            if !current.running, !mounted {
                return ["status": current.status, "waitedMilliseconds": String(now.milliseconds(since: started))]
            }
            if now >= context.deadline {
                let waited = Double(now.milliseconds(since: started)) / 1000
                let reason = current.running
                    ? "Docker still reports container \(facts.name) running (status `\(current.status)`)"
                    : "Docker has not unmounted the container's root \(facts.rootfs)"
                throw StepFailure("after \(waited)s \(reason); the images are kept: check `docker ps -a` and retry with `crplan resume`")
            }
            await host.sleep(for: context.options.pollInterval)
        }
    }
}
