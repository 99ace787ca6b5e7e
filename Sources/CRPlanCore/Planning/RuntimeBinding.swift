/// Why a compiled command could not be turned into a concrete argv.
public enum BindingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The facts do not give this runtime variable (e.g. no `LowerDir` for overlay).
    case unbound(Variable, purpose: String)
    /// An environment variable without default is not set.
    case unsetEnvironment(String, purpose: String)
    /// The container's storage driver is not one the step has commands for.
    case unservedDriver(String, served: [String], purpose: String)
    /// Migrate: the source's configuration cannot be carried to the target (the refusal names the field).
    case cannotMigrate(String, purpose: String)

    public var description: String {
        switch self {
        case .unbound(let variable, let purpose):
            "cannot \(purpose): the container facts give no value for `${\(variable)}`"
        case .unsetEnvironment(let name, let purpose):
            "cannot \(purpose): environment variable \(name) is not set and has no default"
        case .unservedDriver(let driver, let served, let purpose):
            "cannot \(purpose): the container uses storage driver `\(driver)`, but the plan handles only "
                + served.joined(separator: ", ")
                + " (set storage.driver to the container's driver, or to auto; CRIU's external C/R serves only aufs, overlay, overlay2 and vfs)"
        case .cannotMigrate(let refusal, let purpose):
            "cannot \(purpose): \(refusal)"
        }
    }
}

extension Template {
    /// The template with every runtime variable the facts give replaced by
    /// its value; without facts, runtime variables stay symbolic. The planner
    /// has already substituted every compile-time variable, so an `${env.*}`
    /// left here takes its default (or is an error).
    public func bound(to facts: ContainerFacts?, purpose: String, run: RunValues = .none) throws(BindingError) -> Template {
        var segments: [Segment] = []
        for segment in self.segments {
            guard case .variable(let variable) = segment else {
                segments.append(segment)
                continue
            }
            if case .environment(let name, let fallback) = variable {
                guard let fallback else { throw .unsetEnvironment(name, purpose: purpose) }
                segments += try fallback.bound(to: facts, purpose: purpose, run: run).segments
            } else if let facts, !(variable.isMigrationValue && facts.value(of: variable) == nil) {
                guard let value = facts.value(of: variable) else { throw .unbound(variable, purpose: purpose) }
                segments.append(.text(value))
            } else if let value = run.value(of: variable) {
                segments.append(.text(value))
            } else {
                segments.append(segment)
            }
        }
        return Template(segments: segments)
    }
}
