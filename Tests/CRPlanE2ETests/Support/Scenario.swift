import Foundation
import Testing

/// One end-to-end scenario's world: the host, the daemon it uses, a running
/// counter container, a workspace and crplan bound to it.
struct Scenario: Sendable {
    let host: E2EHost
    let daemon: DockerDaemon
    let counter: CounterContainer
    let workspace: Workspace
    let crplan: Crplan

    /// A plan for this scenario's container with every value explicit:
    /// images in `<workspace>/images`, the pidfile `<workspace>/counter.pid`.
    func plan(_ suffix: String, operation: String = "roundtrip", mode: String = "external") -> PlanSpec {
        let driver = daemon.host == host.vfs?.host ? "vfs" : "overlay2"
        return PlanSpec(
            name: "e2e-\(suffix)", container: counter.name, operation: operation, mode: mode,
            driver: mode == "external" ? driver : nil, daemon: daemon, criuBinary: host.criuBinary,
            imageDir: mode == "external" ? workspace.file("images") : nil,
            pidfile: operation == "checkpoint" ? nil : workspace.file("counter.pid"))
    }

    /// Registers `plan`'s pidfile so cleanup kills the tree it names.
    func track(_ plan: PlanSpec) {
        if let pidfile = plan.pidfile { counter.trackPidfile(pidfile) }
    }
}

/// Runs `body` with a fresh counter container on `daemon` (overlay2 unless
/// `vfs`), then always cleans up: the restored process tree by pid, the
/// rebuilt root's mount, the re-created cgroup dirs, the container and the
/// workspace. Leftovers it cannot remove are recorded as issues.
func withCounter(
    _ label: String, vfs: Bool = false, image: String? = nil, _ body: (Scenario) async throws -> Void
) async throws {
    let host = try E2EHost.require()
    let daemon = vfs ? try host.requireVFS() : host.overlay
    let workspace = try Workspace(label: label)
    let name = "crplan-e2e-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let counter: CounterContainer
    do {
        counter = try await CounterContainer.start(on: daemon, image: image ?? host.image, name: name)
    } catch {
        workspace.remove()
        throw error
    }
    let scenario = Scenario(
        host: host, daemon: daemon, counter: counter, workspace: workspace,
        crplan: Crplan(binary: host.crplanBinary, environment: host.environment, workspace: workspace))
    var failure: (any Error)?
    do {
        try await body(scenario)
    } catch {
        failure = error
    }
    let problems = await counter.cleanUp()
    for problem in problems {
        Issue.record(Comment(rawValue: "cleanup of \(name): \(problem)"))
    }
    workspace.remove()
    if let failure { throw failure }
}
