/// Builds the steps of one compiled plan. Holds the plan with compile-time
/// values substituted and the command-line pieces every step shares; each
/// step kind is an extension in `Steps/<Kind>Step.swift`.
struct StepFactory {
    let plan: Plan
    /// The Docker checkpoint name (native mode).
    let checkpointName: String
    /// Migrate over ssh: the target machine (its staging dir is filled by
    /// `send-staging`); nil when the target engine is on this machine.
    let targetSSH: SSHTarget?

    init(plan: Plan, targetSSH: SSHTarget? = nil) throws(PlanningError) {
        self.plan = plan
        self.targetSSH = targetSSH
        let name = plan.restore.checkpoint ?? plan.name
        if plan.mode == .native {
            guard ContainerReference.isDockerName(Array(name.utf8)) else {
                throw .invalidCheckpointName(name, field: plan.restore.checkpoint == nil ? "name" : "restore.checkpoint")
            }
        }
        self.checkpointName = name
    }

    /// The steps in execution order, each depending on the one before.
    func steps() -> [Step] {
        switch (plan.mode, plan.operation) {
        case (_, .migrate):
            migrateSteps()
        case (.external, .checkpoint):
            [inspect()] + preDumps(after: .inspect) + [dump(after: lastBeforeDump), verifyDumpLog(after: .dump)]
        case (.external, .roundtrip):
            [inspect()] + preDumps(after: .inspect) + [
                dump(after: lastBeforeDump), verifyDumpLog(after: .dump),
                waitContainerExited(after: .verifyDumpLog), rebuildRootfs(after: .waitContainerExited),
                restore(after: .rebuildRootfs), writePidfile(after: .restore),
            ]
        case (.external, .restore):
            [
                inspect(), loadCheckpoint(after: .inspect), rebuildRootfs(after: .loadCheckpoint),
                restore(after: .rebuildRootfs), writePidfile(after: .restore),
            ]
        case (.native, .checkpoint):
            plan.archive.map { checkpointArchiveSteps($0) } ?? [inspect(), checkpointCreate(after: .inspect)]
        case (.native, .roundtrip):
            [
                inspect(), checkpointCreate(after: .inspect, waitFollows: true), waitContainerExited(after: .checkpointCreate),
                startFromCheckpoint(after: .waitContainerExited), writePidfile(after: .startFromCheckpoint),
            ]
        case (.native, .restore):
            if let archive = plan.archive {
                restoreArchiveSteps(archive)
            } else {
                [inspect(), startFromCheckpoint(after: .inspect), writePidfile(after: .startFromCheckpoint)]
            }
        }
    }

    // MARK: Shared command-line pieces

    /// `docker [-H host] <arguments>`.
    func docker(_ arguments: [Argument]) -> [Argument] {
        var argv: [Argument] = [.value(plan.docker.binary)]
        if let host = plan.docker.host {
            argv += ["-H", .value(host)]
        }
        return argv + arguments
    }

    /// `docker inspect` of the container the plan names (the only command
    /// that takes the plan's reference; later ones use the resolved id).
    var inspectByReference: [Argument] {
        docker(["inspect", "--type", "container", "--", .value(Template(literal: plan.container.value))])
    }

    /// `docker inspect` of the resolved container id, read as the container's state.
    func inspectByID(purpose: String, pollInterval: PlanDuration? = nil) -> CommandTemplate {
        CommandTemplate(
            purpose: purpose, arguments: docker(["inspect", "--type", "container", "--", .value(.containerID)]),
            output: .containerInspect, pollInterval: pollInterval
        )
    }

    /// How often `wait-container-exited` asks Docker (one `docker inspect` takes about 30 ms here).
    static let pollInterval = PlanDuration(milliseconds: 100)
    /// How long `wait-container-exited` waits for Docker by default.
    static let exitWaitTimeout = PlanDuration(milliseconds: 60_000)

    /// A file in the image dir.
    func imageFile(_ name: String) -> Template {
        var segments = plan.imageDir.segments
        if case .text(let text)? = segments.last, text.hasSuffix("/") {
            segments.append(.text(name))
        } else {
            segments.append(.text("/" + name))
        }
        return Template(segments: segments)
    }

    /// Where Docker keeps the native checkpoint:
    /// `<docker home>/containers/<id>/checkpoints/<name>`.
    var dockerCheckpointFolder: Template {
        var segments = plan.docker.home.segments
        if case .text(let text)? = segments.last, text.hasSuffix("/") {
            segments.append(.text("containers/"))
        } else {
            segments.append(.text("/containers/"))
        }
        segments.append(.variable(.containerID))
        segments.append(.text("/checkpoints/" + checkpointName))
        return Template(segments: segments)
    }

    var rootfs: Template { .containerRootfs }
    var dumpTimeout: PlanDuration { plan.timeouts.dump ?? Step.defaultTimeout }
    var restoreTimeout: PlanDuration { plan.timeouts.restore ?? Step.defaultTimeout }
    var criuLogLevel: Argument { .value(Template(literal: "-v\(plan.criu.logLevel)")) }
    var extraArgs: [Argument] { plan.criu.extraArgs.map { .value(Template(literal: $0)) } }
}

extension Argument: ExpressibleByStringLiteral {
    /// For code and tests, like `Template`'s literal: `${...}` is parsed.
    public init(stringLiteral value: String) {
        self = .value(Template(stringLiteral: value))
    }
}

extension Template {
    /// A template that is just one variable.
    static func variable(_ variable: Variable) -> Template {
        Template(segments: [.variable(variable)])
    }

    static let containerID = Template.variable(.containerID)
    static let containerRootfs = Template.variable(.containerRootfs)
}
