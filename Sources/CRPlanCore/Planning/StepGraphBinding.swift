/// The one binding path: a compiled graph (or one step) with runtime values
/// made concrete from the container facts known so far. `crplan plan
/// --inspect` prints `graph.bound(to: facts)`; the executor binds each step
/// with `Step.bound(to:)` when it runs it, with the facts the run has bound
/// by then, so both print and run the same argv.
///
/// With no facts yet (before `inspect`), runtime values stay symbolic and
/// per-driver alternatives stay open; the executor refuses to run a command
/// that is still symbolic.
extension StepGraph {
    public func bound(to facts: ContainerFacts?, run: RunValues = .none) throws(BindingError) -> StepGraph {
        var result = self
        for index in result.steps.indices {
            result.steps[index] = try steps[index].bound(to: facts, run: run)
        }
        return result
    }
}

extension Step {
    /// The step with its driver alternative chosen and every template bound.
    ///
    /// `run` gives the run's own values (its id, open-archive's bound) where
    /// the facts do not give them yet; the dry run passes none.
    public func bound(to facts: ContainerFacts?, run: RunValues = .none) throws(BindingError) -> Step {
        let purpose = "run step \(kind.rawValue)"
        let bind = { (template: Template) throws(BindingError) -> Template in try template.bound(to: facts, purpose: purpose, run: run) }
        var result = self
        if let facts {
            result.commands = []
            for command in try commands(for: facts) {
                result.commands += try command.boundBatches(to: facts, run: run)
            }
            result.alternatives = []
        } else {
            result.commands = try commands.map { command throws(BindingError) in try command.bound(to: nil, run: run) }
        }
        result.inputs = try inputs.map(bind)
        result.produces = try produces.map(bind)
        result.checks = try checks.map { check throws(BindingError) in try check.mapTemplates(bind) }
        result.paths = try paths.mapTemplates(bind)
        switch undo {
        case .unmount(let path): result.undo = .unmount(try bind(path))
        case .removeFile(let path): result.undo = .removeFile(try bind(path))
        case .commands(let commands):
            result.undo = .commands(try commands.map { command throws(BindingError) in try command.bound(to: facts, run: run) })
        case .nothing, .irreversible: break
        }
        return result
    }
}

extension CommandTemplate {
    /// The command with its argv, guards and working directory bound; with
    /// facts, every argument is one literal.
    public func bound(to facts: ContainerFacts?, run: RunValues = .none) throws(BindingError) -> CommandTemplate {
        let purpose = self.purpose
        let bind = { (template: Template) throws(BindingError) -> Template in try template.bound(to: facts, purpose: purpose, run: run) }
        var result = self
        result.arguments = []
        for argument in arguments {
            switch argument {
            case .value(let template):
                result.arguments.append(.value(try bind(template)))
            case .sourceConfiguration(let mounts):
                // Symbolic until facts carry the source's configuration.
                guard let configuration = facts?.configuration else {
                    result.arguments.append(argument)
                    continue
                }
                do {
                    result.arguments += try configuration.createOptions(mounts: mounts).map { .value(Template(literal: $0)) }
                } catch {
                    throw .cannotMigrate(error.description, purpose: purpose)
                }
            case .sourceCommand:
                guard let configuration = facts?.configuration else {
                    result.arguments.append(argument)
                    continue
                }
                result.arguments += configuration.trailingArguments.map { .value(Template(literal: $0)) }
            case .deletedPaths(let root), .overlayDeletions(_, let root):
                // Symbolic until the facts carry the list; one batch here (see `boundBatches`).
                guard let batches = try pathListBatches(argument, facts: facts) else {
                    let boundRoot = try bind(root)
                    if case .overlayDeletions(let part, _) = argument {
                        result.arguments.append(.overlayDeletions(part, root: boundRoot))
                    } else {
                        result.arguments.append(.deletedPaths(root: boundRoot))
                    }
                    continue
                }
                if batches.isEmpty, let rootText = try bind(root).literalValue {
                    // Bound alone, not through the step: a list that selects nothing reads as find's no-op.
                    result.arguments += OverlayDeletions.nothing(rootText).map { .value(Template(literal: $0)) }
                    continue
                }
                guard batches.count == 1, let batch = batches.first else {
                    throw .cannotMigrate("the list of paths needs \(batches.count) commands, bound only through the step (a crplan bug: please report it)",
                                         purpose: purpose)
                }
                result.arguments += batch.map { .value(Template(literal: $0)) }
            case .cgroupExtMounts(let phase):
                guard let facts else {
                    result.arguments.append(argument)
                    continue
                }
                for mount in facts.cgroupMounts {
                    result.arguments.append(.value(Template(literal: "--ext-mount-map")))
                    result.arguments.append(.value(Template(literal: mount.path + ":" + (phase == .dump ? mount.path : mount.hostPath))))
                }
            }
        }
        result.guards = try guards.map { guardian throws(BindingError) in try guardian.mapTemplates(bind) }
        result.workingDirectory = try workingDirectory.map(bind)
        return result
    }

    /// The command bound, once per batch of its list of paths (`deletedPaths`
    /// or `overlayDeletions`, split by `ArgumentBatches` so that no command is
    /// longer than a remote shell or the kernel takes): what `Step.bound(to:)`
    /// puts in the step, for the dry run and the run alike. A command
    /// without such a list, or whose list is still symbolic, is one command.
    public func boundBatches(to facts: ContainerFacts?, run: RunValues = .none) throws(BindingError) -> [CommandTemplate] {
        var listIndex: Int?
        var batches: [[String]] = []
        for (index, argument) in arguments.enumerated() {
            guard let expanded = try pathListBatches(argument, facts: facts) else { continue }
            guard listIndex == nil else {
                throw .cannotMigrate("a command holds two lists of paths (a crplan bug: please report it)", purpose: purpose)
            }
            listIndex = index
            batches = expanded
        }
        guard let listIndex else { return [try bound(to: facts, run: run)] }
        // A list that selects nothing spawns nothing (over ssh each command is a round trip inside the freeze).
        if batches.isEmpty { return [] }
        // Bind the rest once; each batch's literal arguments go where the list was.
        var rest = self
        rest.arguments.remove(at: listIndex)
        let base = try rest.bound(to: facts, run: run)
        var prefix = self
        prefix.arguments = Array(arguments[..<listIndex])
        let position = try prefix.bound(to: facts, run: run).arguments.count
        return batches.map { batch in
            var one = base
            one.arguments.insert(contentsOf: batch.map { .value(Template(literal: $0)) }, at: position)
            return one
        }
    }

    /// The batches a list-of-paths argument expands to with these facts; nil
    /// for another argument, or while the facts lack the list, the target's
    /// driver (overlay deletions) or a literal root.
    private func pathListBatches(_ argument: Argument, facts: ContainerFacts?) throws(BindingError) -> [[String]]? {
        let purpose = self.purpose
        switch argument {
        case .deletedPaths(let root):
            guard let paths = facts?.deletedPaths, let rootText = try root.bound(to: facts, purpose: purpose).literalValue else { return nil }
            guard !paths.isEmpty else { return [] }
            do {
                return try DeletedPaths.findBatches(root: rootText, paths: paths)
            } catch {
                throw .cannotMigrate(error.description, purpose: purpose)
            }
        case .overlayDeletions(let part, let root):
            guard let paths = facts?.deletedPaths, let driver = facts?.target?.driver,
                  let rootText = try root.bound(to: facts, purpose: purpose).literalValue else { return nil }
            let recreated = facts?.recreatedPaths ?? []
            let nothing = [OverlayDeletions.nothing(rootText)]
            do {
                let batches: [[String]]
                switch (driver == "overlay2", part) {
                case (false, _): batches = nothing
                case (true, .whiteouts): batches = try OverlayDeletions.whiteoutBatches(root: rootText, deleted: paths, recreated: recreated)
                case (true, .opaque): batches = try OverlayDeletions.opaqueBatches(root: rootText, recreated: recreated)
                case (true, .check): batches = try OverlayDeletions.checkBatches(root: rootText, deleted: paths, recreated: recreated)
                }
                return batches == nothing ? [] : batches
            } catch {
                throw .cannotMigrate(error.description, purpose: purpose)
            }
        default:
            return nil
        }
    }

    /// The argv, when every argument is bound to a literal; nil while one is symbolic.
    public var literalArgv: [String]? {
        var argv: [String] = []
        for argument in arguments {
            guard case .value(let template) = argument, let text = template.literalValue else { return nil }
            argv.append(text)
        }
        return argv
    }
}

extension CommandGuard {
    /// The guard with each template it names transformed.
    public func mapTemplates<E: Error>(_ transform: (Template) throws(E) -> Template) throws(E) -> CommandGuard {
        switch self {
        case .skipIfMounted(let target, let fsType, let options):
            .skipIfMounted(target: try transform(target), fsType: fsType, options: try options.map(transform))
        case .skipIfMountPoint(let path): .skipIfMountPoint(path: try transform(path))
        case .requireDirectory(let path): .requireDirectory(path: try transform(path))
        case .clearStaleFile(let path): .clearStaleFile(path: try transform(path))
        }
    }
}

extension StepCheck {
    /// The check with each template it names transformed.
    public func mapTemplates<E: Error>(_ transform: (Template) throws(E) -> Template) throws(E) -> StepCheck {
        switch self {
        case .containerRunning, .containerNotRunning, .storageDriver: self
        case .notMountPoint(let path): .notMountPoint(path: try transform(path))
        case .logContains(let log, let text): .logContains(log: try transform(log), text: text)
        case .savedFactsMatchContainer(let path): .savedFactsMatchContainer(file: try transform(path))
        case .processAlive(let pidfile): .processAlive(pidfile: try transform(pidfile))
        case .freshStagingDir(let path, let homes):
            .freshStagingDir(path: try transform(path), dockerHomes: try homes.map { home throws(E) in try transform(home) })
        }
    }
}
