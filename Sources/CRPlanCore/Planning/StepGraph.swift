/// A compiled plan: the steps, each carrying everything it needs (argv
/// templates, paths, checks, timeout, undo), and what names the run.
///
/// Pure data, printable without root and testable without a host. The dry
/// run prints exactly the values `apply` runs; the executor reads nothing
/// back from the plan, only from here.
public struct StepGraph: Sendable, Hashable, Codable {
    public var planName: String
    public var operation: Plan.Operation
    public var mode: Plan.Mode
    /// The container as the plan names it (the `inspect` step resolves it).
    public var container: ContainerReference
    /// The plan's storage driver (`auto` until `inspect` reads Docker's).
    public var storageDriver: Storage.Driver
    /// Steps in the planner's order; `executionOrder()` checks `dependsOn`.
    public var steps: [Step]
    /// Migrate over ssh (`target.ssh`): how the target side's commands
    /// reach its machine. Each target-side argv runs as
    /// `targetSSH.argv(running:)`, which `crplan plan` prints and
    /// `RemoteHost` runs; nil: the target engine is on this machine.
    public var targetSSH: SSHTarget?

    public init(
        planName: String, operation: Plan.Operation, mode: Plan.Mode, container: ContainerReference,
        storageDriver: Storage.Driver, steps: [Step], targetSSH: SSHTarget? = nil
    ) {
        self.planName = planName
        self.operation = operation
        self.mode = mode
        self.container = container
        self.storageDriver = storageDriver
        self.steps = steps
        self.targetSSH = targetSSH
    }

    public func step(_ kind: StepKind) -> Step? {
        steps.first { $0.kind == kind }
    }

    /// True when the run stages its checkpoint in `<imageDir>/<run id>`
    /// and captures the container's file changes: a migrate, or a
    /// checkpoint that keeps a portable archive (`Plan.stagesCheckpoint`).
    /// Such a run's inspect reads the source's configuration and names the
    /// run's staging dir, and each step's success is journaled at once.
    public var stagesCheckpoint: Bool {
        operation == .migrate || step(.writeArchive) != nil
    }
}
