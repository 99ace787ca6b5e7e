/// Compiles a validated plan into the step graph a dry run prints and the
/// executor runs.
///
/// Pure: the environment is passed in, nothing touches the host. The
/// planner substitutes what is known at compile time (`${env.*}`,
/// `${docker.home}`, `${plan.name}`, `${imageDir}`) and keeps the values
/// only the live container gives symbolic; each step kind is built in its
/// own file under `Steps/`.
///
/// Choices the steps encode:
/// - Only `inspect` names the container as the plan does; later docker
///   commands use the resolved `${container.id}`.
/// - `criu restore --pidfile` gets `<imageDir>/criu-restore.pid`, not the
///   plan's pidfile: CRIU opens it O_EXCL, so the executor moves a stale one
///   aside (guard `clearStaleFile`), and `write-pidfile` writes the plan's
///   `restore.pidfile` once the pid is checked.
/// - Native mode names the Docker checkpoint `restore.checkpoint`, or the
///   plan's name when unset (a checkpoint-only and a restore-only plan must
///   then agree on `restore.checkpoint`).
/// - `criu.extraArgs` go last on both `criu dump` and `criu restore`.
public struct Planner: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func compile(_ plan: Plan) throws(PlanningError) -> StepGraph {
        if plan.operation == .roundtrip && plan.criu.leaveRunning {
            throw .leaveRunningRoundtrip
        }
        let resolved = try substituteCompileTimeValues(in: plan)
        let targetSSH = try resolved.target?.ssh.map { settings throws(PlanningError) in
            try settings.resolvedTarget(CompileTimeSubstitution(environment: environment, planName: plan.name))
        }
        let factory = try StepFactory(plan: resolved, targetSSH: targetSSH)
        return StepGraph(
            planName: resolved.name,
            operation: resolved.operation,
            mode: resolved.mode,
            container: resolved.container,
            storageDriver: resolved.storage.driver,
            steps: factory.steps(),
            targetSSH: targetSSH
        )
    }

    /// The plan with every compile-time variable substituted and every path
    /// checked again (an environment value can make it relative).
    func substituteCompileTimeValues(in plan: Plan) throws(PlanningError) -> Plan {
        var values = CompileTimeSubstitution(environment: environment, planName: plan.name)
        var result = plan

        let home = try values.resolvePath(plan.docker.home, field: "docker.home", runtimeAllowed: false)
        result.docker.home = home
        values.dockerHome = home

        // Restore from an archive: the staging root is known before any facts (open-archive makes `<imageDir>/<run id>` first).
        let imageDir = try values.resolvePath(plan.imageDir, field: "imageDir", runtimeAllowed: !plan.restoresArchive)
        result.imageDir = imageDir
        values.imageDir = imageDir

        result.docker.binary = try values.resolveArgument(plan.docker.binary, field: "docker.binary")
        if let host = plan.docker.host {
            result.docker.host = try values.resolveArgument(host, field: "docker.host")
        }
        result.criu.binary = try values.resolveArgument(plan.criu.binary, field: "criu.binary")

        for index in plan.extMounts.indices {
            result.extMounts[index].restore = try values.resolvePath(
                plan.extMounts[index].restore, field: "extMounts[\(index)].restore"
            )
        }
        result.restore.pidfile = try values.resolvePath(plan.restore.pidfile, field: "restore.pidfile")
        if let target = plan.target {
            result.target?.docker.home = try values.resolvePath(target.docker.home, field: "target.docker.home", runtimeAllowed: false)
            result.target?.docker.binary = try values.resolveArgument(target.docker.binary, field: "target.docker.binary")
            if let host = target.docker.host {
                result.target?.docker.host = try values.resolveArgument(host, field: "target.docker.host")
            }
        }
        return result
    }
}
