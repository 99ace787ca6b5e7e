/// Why a compiled command could not be turned into a concrete argv.
public enum BindingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The facts do not give this runtime variable (e.g. no `LowerDir` for overlay).
    case unbound(Variable, purpose: String)
    /// An environment variable without default is not set.
    case unsetEnvironment(String, purpose: String)
    /// The container's storage driver is not one the step has commands for.
    case unservedDriver(String, served: [String], purpose: String)

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
        }
    }
}

extension Template {
    /// The concrete string once runtime `facts` are known.
    public func bind(_ facts: ContainerFacts, purpose: String) throws(BindingError) -> String {
        var result = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                result += text
            case .variable(let variable):
                if case .environment(let name, let fallback) = variable {
                    guard let fallback else { throw .unsetEnvironment(name, purpose: purpose) }
                    result += try fallback.bind(facts, purpose: purpose)
                } else if let value = facts.value(of: variable) {
                    result += value
                } else {
                    throw .unbound(variable, purpose: purpose)
                }
            }
        }
        return result
    }
}

extension CommandTemplate {
    /// The argv to run, with every runtime value bound from `facts`.
    public func bind(_ facts: ContainerFacts) throws(BindingError) -> [String] {
        var argv: [String] = []
        for argument in arguments {
            switch argument {
            case .value(let template):
                argv.append(try template.bind(facts, purpose: purpose))
            case .cgroupExtMounts(let phase):
                for mount in facts.cgroupMounts {
                    argv.append("--ext-mount-map")
                    argv.append(mount.path + ":" + (phase == .dump ? mount.path : mount.hostPath))
                }
            }
        }
        return argv
    }
}
