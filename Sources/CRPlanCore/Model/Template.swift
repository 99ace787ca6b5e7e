/// Why a `${...}` template could not be parsed.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case unterminated(offset: Int)
    case unknownVariable(String)
    case badEnvironmentName(String)
    case empty(offset: Int)
    /// `${env.A:-${env.B:-…}}` nests deeper than `PlanLimits.maximumTemplateDepth`.
    case nestedTooDeep(offset: Int)

    public var description: String {
        switch self {
        case .unterminated: "unterminated `${`: add the closing `}`"
        case .unknownVariable(let name): "unknown variable `${\(name)}`"
        case .badEnvironmentName(let name): "`\(name)` is not a valid environment variable name"
        case .empty: "empty `${}`"
        case .nestedTooDeep: "`${...}` defaults nest more than \(PlanLimits.maximumTemplateDepth) deep"
        }
    }
}

/// A string with `${...}` variables: how plans spell paths that depend on
/// the environment or on the live container. Parsed once by the validator;
/// the planner substitutes what it knows and keeps the rest symbolic.
public struct Template: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable, Codable {
        case text(String)
        case variable(Variable)
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = Template.merged(segments)
    }

    /// For parsers that already produce merged segments (no empty or
    /// adjacent text segments), without copying them again.
    init(mergedSegments: [Segment]) {
        self.segments = mergedSegments
    }

    /// A template without variables.
    public init(literal: String) {
        self.segments = literal.isEmpty ? [] : [.text(literal)]
    }

    /// Parses `text`; `$$` is not special, only `${` starts a variable.
    public init(parsing text: String) throws(TemplateError) {
        var segments: [Segment] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            let next = text.index(after: index)
            if char == "$", next < text.endIndex, text[next] == "{" {
                let offset = text.distance(from: text.startIndex, to: index)
                // Find the matching brace (defaults may nest `${...}`); refuse
                // deep nesting before parsing the default recursively.
                var depth = 1
                var deepest = 1
                var cursor = text.index(after: next)
                let bodyStart = cursor
                while cursor < text.endIndex {
                    if text[cursor] == "{" {
                        depth += 1
                        deepest = max(deepest, depth)
                    }
                    if text[cursor] == "}" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    cursor = text.index(after: cursor)
                }
                guard cursor < text.endIndex else { throw .unterminated(offset: offset) }
                guard deepest <= PlanLimits.maximumTemplateDepth else { throw .nestedTooDeep(offset: offset) }
                let body = String(text[bodyStart..<cursor])
                guard !body.isEmpty else { throw .empty(offset: offset) }
                guard let variable = try Variable(expression: body) else {
                    throw .unknownVariable(body)
                }
                if !literal.isEmpty { segments.append(.text(literal)); literal = "" }
                segments.append(.variable(variable))
                index = text.index(after: cursor)
            } else {
                literal.append(char)
                index = next
            }
        }
        if !literal.isEmpty { segments.append(.text(literal)) }
        self.segments = segments
    }

    /// Every variable the template uses, defaults of `env` variables included.
    public var variables: [Variable] {
        segments.flatMap { segment -> [Variable] in
            guard case .variable(let variable) = segment else { return [] }
            if case .environment(_, let fallback?) = variable {
                return [variable] + fallback.variables
            }
            return [variable]
        }
    }

    /// True when no variable is left.
    public var isLiteral: Bool {
        segments.allSatisfy { if case .text = $0 { true } else { false } }
    }

    /// The text, if no variable is left.
    public var literalValue: String? {
        guard isLiteral else { return nil }
        return segments.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }

    /// True when the template holds a runtime variable after substitution.
    public var hasRuntimeVariables: Bool { variables.contains { $0.isRuntime } }

    /// Replaces each variable `resolve` knows; the others stay symbolic.
    public func substituting(_ resolve: (Variable) -> Template?) -> Template {
        var result: [Segment] = []
        for segment in segments {
            switch segment {
            case .text:
                result.append(segment)
            case .variable(let variable):
                if let value = resolve(variable) {
                    result.append(contentsOf: value.segments)
                } else if case .environment(let name, let fallback?) = variable {
                    result.append(.variable(.environment(name: name, fallback: fallback.substituting(resolve))))
                } else {
                    result.append(segment)
                }
            }
        }
        return Template(segments: result)
    }

    /// The text with variables spelled `${...}`, as a dry run prints it.
    public var description: String {
        segments.map { segment in
            switch segment {
            case .text(let text): text
            case .variable(let variable): "${\(variable)}"
            }
        }.joined()
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func merged(_ segments: [Segment]) -> [Segment] {
        var result: [Segment] = []
        for segment in segments {
            if case .text(let text) = segment {
                if text.isEmpty { continue }
                if case .text(let previous)? = result.last {
                    result[result.count - 1] = .text(previous + text)
                    continue
                }
            }
            result.append(segment)
        }
        return result
    }
}

extension Template: ExpressibleByStringLiteral {
    /// For code and tests: a literal template must parse.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value)
        } catch {
            preconditionFailure("invalid template literal \(value): \(error)")
        }
    }
}
