/// A compiled plan: the steps in execution order, and everything the
/// executor needs that the steps share (resolved settings, paths).
///
/// Pure data, printable without root and testable without a host. The
/// dry run prints exactly the values `apply` runs.
public struct StepGraph: Sendable, Hashable, Codable {
    public var planName: String
    public var operation: Plan.Operation
    public var mode: Plan.Mode
    public var container: ContainerReference
    /// The plan with compile-time values substituted (digest input).
    public var plan: Plan
    /// Steps in an order that respects `dependsOn`.
    public var steps: [Step]

    public init(planName: String, operation: Plan.Operation, mode: Plan.Mode, container: ContainerReference, plan: Plan, steps: [Step]) {
        self.planName = planName
        self.operation = operation
        self.mode = mode
        self.container = container
        self.plan = plan
        self.steps = steps
    }

    public func step(_ kind: StepKind) -> Step? {
        steps.first { $0.kind == kind }
    }
}
