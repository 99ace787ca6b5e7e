/// Why a step graph cannot be run: a planner bug, never an operator's.
public enum StepGraphError: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicateStep(StepKind)
    case missingDependency(step: StepKind, dependsOn: StepKind)
    case cycle([StepKind])

    public var description: String {
        switch self {
        case .duplicateStep(let kind):
            "the step graph holds step \(kind.rawValue) twice (a crplan bug: please report it)"
        case .missingDependency(let step, let dependency):
            "step \(step.rawValue) depends on \(dependency.rawValue), which the graph does not hold (a crplan bug: please report it)"
        case .cycle(let steps):
            "the steps \(steps.map(\.rawValue).joined(separator: ", ")) depend on each other in a cycle (a crplan bug: please report it)"
        }
    }
}

extension StepGraph {
    /// The steps in the order the executor runs them: every step after all it
    /// `dependsOn`, ties kept in the order the planner listed them (Kahn's
    /// algorithm, stable). Throws for a duplicate step, a dependency the graph
    /// lacks, or a cycle.
    public func executionOrder() throws(StepGraphError) -> [Step] {
        var index: [StepKind: Int] = [:]
        for (position, step) in steps.enumerated() {
            guard index[step.kind] == nil else { throw .duplicateStep(step.kind) }
            index[step.kind] = position
        }
        var waitingOn = [Int](repeating: 0, count: steps.count)
        var dependents = [[Int]](repeating: [], count: steps.count)
        for (position, step) in steps.enumerated() {
            for dependency in Set(step.dependsOn) {
                guard let before = index[dependency] else { throw .missingDependency(step: step.kind, dependsOn: dependency) }
                waitingOn[position] += 1
                dependents[before].append(position)
            }
        }
        var ready = steps.indices.filter { waitingOn[$0] == 0 }
        var order: [Step] = []
        while let next = ready.min() {
            ready.removeAll { $0 == next }
            order.append(steps[next])
            for dependent in dependents[next] {
                waitingOn[dependent] -= 1
                if waitingOn[dependent] == 0 { ready.append(dependent) }
            }
        }
        guard order.count == steps.count else {
            throw .cycle(steps.indices.filter { waitingOn[$0] > 0 }.map { steps[$0].kind })
        }
        return order
    }
}
