/// The commands a step runs for some storage drivers.
///
/// With `storage.driver: auto` the driver is known only once `inspect` (or
/// the facts a checkpoint run saved) has run, so `rebuild-rootfs` carries
/// one alternative per driver and the executor picks one from the facts.
/// With an explicit driver it carries just that one, so a plan that names
/// the wrong driver fails before anything is mounted.
public struct DriverAlternative: Sendable, Hashable, Codable {
    public var drivers: [Storage.Driver]
    public var commands: [CommandTemplate]

    public init(drivers: [Storage.Driver], commands: [CommandTemplate]) {
        self.drivers = drivers
        self.commands = commands
    }

    /// True when `driver` (as Docker spells it in `GraphDriver.Name`) is one of `drivers`.
    public func serves(_ driver: String) -> Bool {
        drivers.contains { $0.rawValue == driver }
    }
}

extension Step {
    /// The commands to run for a container with these facts: the common
    /// commands, then those of the alternative serving `facts.driver`.
    /// The executor and the dry run with bound facts both choose here.
    public func commands(for facts: ContainerFacts) throws(BindingError) -> [CommandTemplate] {
        guard !alternatives.isEmpty else { return commands }
        guard let chosen = alternatives.first(where: { $0.serves(facts.driver) }) else {
            throw .unservedDriver(
                facts.driver,
                served: alternatives.flatMap { $0.drivers.map(\.rawValue) },
                purpose: "run step \(kind.rawValue)"
            )
        }
        return commands + chosen.commands
    }
}
