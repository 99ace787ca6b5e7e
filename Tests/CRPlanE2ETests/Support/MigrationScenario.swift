import CRPlanCore
import Foundation
import Testing

/// A migration scenario: a counter on the overlay2 engine (the source), the
/// vfs engine as the target (or the source's own engine under another
/// name), and a migrate plan between them. Cleans up the target container it
/// names (never another) when the test ends.
struct MigrationScenario: Sendable {
    let base: Scenario
    let target: DockerDaemon
    /// The container's name on the target: the source's name (unique to this
    /// test), or `<source name>-moved` when the target is the source's engine.
    let targetName: String

    init(base: Scenario, target: DockerDaemon, sameEngine: Bool = false) {
        self.base = base
        self.target = target
        targetName = sameEngine ? base.counter.name + "-moved" : base.counter.name
    }

    var counter: CounterContainer { base.counter }
    var crplan: Crplan { base.crplan }

    /// A migrate plan: staging dirs in `<workspace>/staging`, checkpoint `e2e-mig`;
    /// with `ssh`, the target engine is reached through the private sshd.
    func plan(_ suffix: String, copy: Bool = false, image: String = "transfer", binary: String? = nil, ssh: SSHSpec? = nil) -> PlanSpec {
        var plan = base.plan(suffix, operation: "migrate", mode: "native")
        plan.pidfile = nil
        plan.imageDir = base.workspace.file("staging")
        plan.checkpointName = "e2e-mig"
        plan.leaveRunning = copy
        plan.migrateTarget = MigrateTargetSpec(daemon: target, name: targetName, binary: binary, image: image, ssh: ssh)
        return plan
    }

    /// `/foo` as the target container shows it through `docker exec` (which must work).
    func targetValues() async throws -> [Int] {
        let text = try await target.run(["exec", targetName, "cat", "/foo"])
        return CounterValues.parse(text + "\n")
    }

    /// The target's `/foo` keeps growing as one unbroken 0, 1, 2, … sequence;
    /// with `lastBeforeFreeze`, the value after it is the next one.
    func targetContinues(after lastBeforeFreeze: Int?, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let first = try await targetValues()
        let current = try #require(first.last, "no values in the target's /foo", sourceLocation: sourceLocation)
        var later = first
        _ = await eventually(timeout: .seconds(10)) {
            later = (try? await targetValues()) ?? later
            return (later.last ?? -1) > current + 2
        }
        #expect((later.last ?? -1) > current + 2, "the target's /foo stopped growing at \(later.last ?? -1)", sourceLocation: sourceLocation)
        #expect(CounterValues.breakInSequence(later) == nil, "target: \(CounterValues.breakInSequence(later) ?? "")", sourceLocation: sourceLocation)
        if let lastBeforeFreeze {
            #expect(CounterValues.successor(of: lastBeforeFreeze, in: later) == lastBeforeFreeze + 1,
                    "on the target, after \(lastBeforeFreeze) comes \(CounterValues.successor(of: lastBeforeFreeze, in: later).map(String.init) ?? "nothing")",
                    sourceLocation: sourceLocation)
        }
    }

    /// `docker ps` on the target shows the container Up.
    func targetIsUp(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let inspect = try await target.inspect(targetName)
        let ps = try await target.psStatus(inspect.id)
        #expect(ps?.contains(" Up ") == true, "docker ps on the target: \(ps ?? "(not listed)")", sourceLocation: sourceLocation)
    }

    /// The folder a run staged in: `<imageDir>/<run id>` (the run id from its events).
    func stagingDir(_ plan: PlanSpec, events: [ExecutionEvent]) throws -> String {
        let runID = try #require(events.first?.runID, "no events")
        return try #require(plan.imageDir) + "/" + runID
    }

    /// True when the target engine has a container of the target name.
    func targetExists() async -> Bool {
        (try? await target.inspect(targetName)) != nil
    }
}

/// Runs `body` with a counter on the overlay2 engine and the vfs engine as
/// the target (`fromVFS`: the other way round; `sameEngine`: the overlay2
/// engine is the target too, under another name); afterwards removes the
/// target container of this test's name.
func withMigration(
    _ label: String, image: String? = nil, fromVFS: Bool = false, sameEngine: Bool = false,
    _ body: (MigrationScenario) async throws -> Void
) async throws {
    let host = try E2EHost.require()
    let target = fromVFS || sameEngine ? host.overlay : try host.requireVFS()
    try await withCounter(label, vfs: fromVFS, image: image) { scenario in
        let migration = MigrationScenario(base: scenario, target: target, sameEngine: sameEngine && !fromVFS)
        var failure: (any Error)?
        do {
            try await body(migration)
        } catch {
            failure = error
        }
        if await migration.targetExists() {
            do {
                try await target.run(["rm", "-f", migration.targetName])
            } catch {
                Issue.record(Comment(rawValue: "cleanup of the target \(migration.targetName): \(error)"))
            }
        }
        if let failure { throw failure }
    }
}
