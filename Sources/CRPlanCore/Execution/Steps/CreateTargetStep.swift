/// `create-target` (migrate): `docker create` on the target from the
/// source's configuration (bound from the source's inspect), then the
/// target's printed `docker inspect` and the `cat` of its layer's
/// `mount-id`, which locate its root. The target container (id, driver,
/// root) is journaled with the facts so that resume and rollback bind
/// `${target.id}` and `${target.rootfs}` again; the id is journaled as
/// soon as `docker create` prints it.
///
/// Over ssh it first makes the folder send-staging fills,
/// `<imageDir>/<run id>-received` on the target machine, before anything
/// is frozen: its `realpath` checked (not in the target's data root or a
/// system folder), then `mkdir` without `--parents`, which refuses a folder
/// that exists (a later attempt of this run's step accepts the one its
/// earlier attempt made); the folder is journaled (`receivedFolder`).
struct CreateTargetStep: StepBehavior {
    /// `docker create`, the target's inspect, the `cat` of its `mount-id`.
    static let ownCommands = 3

    func run(_ context: StepContext) async throws -> [String: String] {
        let commands = try context.bound().commands
        let first = commands.count - Self.ownCommands
        guard first >= 0 else {
            throw StepFailure("step create-target does not have its commands (a crplan bug: please report it)")
        }
        var received: String?
        for index in 0..<first {
            if commands[index].output == .stagingRealPath {
                try await context.checkStagingRealPath(at: index)
            } else if StepContext.makesStagingDir(commands[index]) {
                try await context.makeStagingDir(at: index)
                received = commands[index].literalArgv?.last
                if let received { try await context.progress(["receivedFolder": received]) }
            } else {
                try await context.runChecked(at: index)
            }
        }
        let created = try await context.runChecked(at: first)
        let printed = created.result.standardOutput.trimmingWhitespace
        guard printed.utf8.count == 64, printed.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw StepFailure("docker create on the target printed `\(printed.prefix(80))`, not a container id")
        }
        try await context.progress(["targetID": printed])
        let state = try context.targetState(try await context.runCommand(at: first + 1))
        guard state.id == printed else {
            throw StepFailure("the target's container named as the plan says has id \(state.id), not \(printed) which docker create printed")
        }
        guard TargetContainer.supportedDrivers.contains(state.driver) else {
            throw StepFailure("the target engine uses the storage driver `\(state.driver)`; crplan migrates only to "
                + TargetContainer.supportedDrivers.joined(separator: ", "))
        }
        try await context.rebindFacts(source: "create-target") { $0.target = TargetContainer(id: state.id, driver: state.driver) }
        let mountID = try await context.runChecked(at: first + 2)
        let home = try context.path(\.dockerHome, "the target's Docker data root")
        let target: TargetContainer
        do {
            target = try TargetContainer(id: state.id, driver: state.driver).withMountID(mountID.result.standardOutput, targetHome: home)
        } catch {
            throw StepFailure(error.description)
        }
        try await context.rebindFacts(source: "create-target") { $0.target = target }
        var outputs = ["targetID": target.id, "targetRootfs": target.rootfs, "targetDriver": target.driver]
        if let received { outputs["receivedFolder"] = received }
        return outputs
    }

    /// A container this attempt created (its id journaled) has never run:
    /// remove it and create it again.
    func probe(_ context: StepContext) async throws -> ProbeDecision {
        guard let id = context.record?.outputs["targetID"] else {
            return .rerun("no target container id was journaled; docker create runs again (check-target ran before)")
        }
        guard case .commands(let undo) = context.step.undo, var facts = context.facts else {
            return .operatorNeeded("cannot remove the half-created target container \(id)")
        }
        facts.target = TargetContainer(id: id, driver: facts.target?.driver ?? "")
        for (index, command) in undo.enumerated() {
            let bound = try command.bound(to: facts)
            _ = try await context.run(bound, index: index)
        }
        return .rerun("removed the target container \(id) the interrupted attempt created; it is created again")
    }
}
