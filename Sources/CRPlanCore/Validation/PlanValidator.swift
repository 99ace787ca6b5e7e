/// What validating one plan file gives: the plan, if it has no errors,
/// and every problem found, sorted by position.
public struct ValidationResult: Sendable, Hashable {
    /// The typed plan with defaults applied; nil when any error was found.
    public var plan: Plan?
    public var diagnostics: [Diagnostic]

    public init(plan: Plan?, diagnostics: [Diagnostic]) {
        self.plan = plan
        self.diagnostics = diagnostics
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Turns loaded YAML documents into a validated `Plan`, reporting every
/// problem of the file instead of stopping at the first one.
public enum PlanValidator {
    public static func validate(_ documents: [YAMLNode], file: String, environment: [String: String]? = nil) -> ValidationResult {
        var context = ValidationContext(file: file)
        let plan = validate(documents, context: &context, environment: environment)
        return ValidationResult(plan: context.hasErrors ? nil : plan, diagnostics: context.reported)
    }

    static func validate(
        _ documents: [YAMLNode], context: inout ValidationContext, buildingPlan: Bool = true, environment: [String: String]? = nil
    ) -> Plan? {
        guard let root = documents.first else {
            context.error(.emptyDocument, at: nil, "the file holds no plan", hint: "start with `version: 1`")
            return nil
        }
        if documents.count > 1 {
            context.error(
                .multipleDocuments, at: documents[1].location,
                "the file holds \(documents.count) YAML documents; a plan file holds exactly one",
                hint: "move each plan to its own file"
            )
        }
        if case .scalar(let scalar) = root, scalar.isNull {
            context.error(.emptyDocument, at: nil, "the plan is empty", hint: "start with `version: 1`")
            return nil
        }
        var reader = PlanReader(context: context)
        reader.buildsPlan = buildingPlan
        reader.environment = environment
        let plan = reader.read(root)
        context = reader.context
        return plan
    }

    /// By position (file-level diagnostics first), keeping the order of
    /// reports at one position, without exact repeats (aliases can repeat
    /// a node's problems).
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard diagnostics.count > 1 else { return diagnostics }
        let order = diagnostics.indices.sorted { a, b in
            let left = diagnostics[a].location
            let right = diagnostics[b].location
            if left != right {
                guard let left else { return true }
                guard let right else { return false }
                return left < right
            }
            return a < b
        }
        var result: [Diagnostic] = []
        result.reserveCapacity(order.count)
        var seen = Set<Diagnostic>(minimumCapacity: order.count)
        for index in order where seen.insert(diagnostics[index]).inserted {
            result.append(diagnostics[index])
        }
        return result
    }
}
