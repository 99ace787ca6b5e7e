/// Binding a whole compiled graph to container facts: the graph as it will
/// run for this container, each runtime value made concrete and each
/// per-driver choice made. Built only from `Step.commands(for:)`,
/// `CommandTemplate.bind` and `Template.bind`, so a dry run with facts
/// prints exactly what the executor runs.
extension StepGraph {
    public func bound(to facts: ContainerFacts) throws(BindingError) -> StepGraph {
        var result = self
        for index in result.steps.indices {
            result.steps[index] = try steps[index].bound(to: facts)
        }
        return result
    }
}

extension Step {
    /// The step with its driver alternative chosen and every template bound.
    public func bound(to facts: ContainerFacts) throws(BindingError) -> Step {
        let purpose = "show step \(kind.rawValue)"
        var result = self
        result.commands = []
        for command in try commands(for: facts) {
            result.commands.append(try command.bound(to: facts))
        }
        result.alternatives = []
        result.inputs = try inputs.map { path throws(BindingError) in try path.bound(to: facts, purpose: purpose) }
        result.produces = try produces.map { path throws(BindingError) in try path.bound(to: facts, purpose: purpose) }
        result.checks = try checks.map { check throws(BindingError) in
            try check.mapTemplates { path throws(BindingError) in try path.bound(to: facts, purpose: purpose) }
        }
        switch undo {
        case .unmount(let path): result.undo = .unmount(try path.bound(to: facts, purpose: purpose))
        case .removeFile(let path): result.undo = .removeFile(try path.bound(to: facts, purpose: purpose))
        case .nothing, .irreversible: break
        }
        return result
    }
}

extension CommandTemplate {
    /// The command with its argv bound (one literal per argument) and its guards' paths bound.
    public func bound(to facts: ContainerFacts) throws(BindingError) -> CommandTemplate {
        let purpose = self.purpose
        return CommandTemplate(
            purpose: purpose,
            arguments: try bind(facts).map { .value(Template(literal: $0)) },
            guards: try guards.map { guardian throws(BindingError) in
                try guardian.mapTemplates { path throws(BindingError) in try path.bound(to: facts, purpose: purpose) }
            }
        )
    }
}

extension Template {
    /// `bind(_:purpose:)` as a literal template.
    func bound(to facts: ContainerFacts, purpose: String) throws(BindingError) -> Template {
        Template(literal: try bind(facts, purpose: purpose))
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
        case .containerRunning, .containerNotRunning: self
        case .notMountPoint(let path): .notMountPoint(path: try transform(path))
        case .logContains(let log, let text): .logContains(log: try transform(log), text: text)
        case .savedFactsMatchContainer(let path): .savedFactsMatchContainer(file: try transform(path))
        case .processAlive(let pidfile): .processAlive(pidfile: try transform(pidfile))
        }
    }
}
