/// A template read from a plan, with where each of its variables stands.
struct ReadTemplate {
    var template: Template
    /// Every variable (those in `env` defaults too) and its position.
    var variables: [(variable: Variable, location: SourceLocation)]
    var scalar: YAMLScalar
}

/// Parses `${...}` templates in plan values and reports every malformed
/// or unknown variable at its own column (the model's `Template(parsing:)`
/// stops at the first problem and knows no positions).
enum TemplateReader {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The variables a plan author may write, as `${...}` for hints.
    static let documentedVariables = Variable.documentedNames.map { "${\($0)}" }

    static func read(_ scalar: YAMLScalar, path: FieldPath, context: inout ValidationContext) -> ReadTemplate? {
        var state = State(scalar: scalar, path: path)
        let segments = withBytes(of: scalar.value) { bytes in
            state.parse(bytes, from: 0, to: bytes.count, context: &context)
        }
        guard !state.failed else { return nil }
        return ReadTemplate(template: Template(segments: segments), variables: state.variables, scalar: scalar)
    }

    /// The position of a byte offset inside a scalar's value. Exact for
    /// one-line plain and quoted scalars without escapes; block scalars
    /// report their start.
    static func location(of offset: Int, in scalar: YAMLScalar) -> SourceLocation {
        switch scalar.style {
        case .block:
            return scalar.location
        case .plain, .quoted:
            let characters = withBytes(of: scalar.value) { bytes in
                bytes.prefix(offset).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            }
            let quote = scalar.style == .quoted ? 1 : 0
            return SourceLocation(line: scalar.location.line, column: scalar.location.column + quote + characters)
        }
    }

    private struct State {
        let scalar: YAMLScalar
        let path: FieldPath
        var variables: [(variable: Variable, location: SourceLocation)] = []
        var failed = false

        init(scalar: YAMLScalar, path: FieldPath) {
            self.scalar = scalar
            self.path = path
        }

        mutating func parse(_ s: Bytes, from start: Int, to end: Int, context: inout ValidationContext) -> [Template.Segment] {
            var segments: [Template.Segment] = []
            var textStart = start
            var i = start
            while i < end {
                guard s[i] == UInt8(ascii: "$"), i + 1 < end, s[i + 1] == UInt8(ascii: "{") else {
                    i += 1
                    continue
                }
                if textStart < i { segments.append(.text(text(s, textStart, i))) }
                // Find the matching brace (defaults may nest `${...}`).
                var depth = 1
                var close = i + 2
                while close < end {
                    if s[close] == UInt8(ascii: "{") { depth += 1 }
                    if s[close] == UInt8(ascii: "}") {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    close += 1
                }
                let here = TemplateReader.location(of: i, in: scalar)
                guard close < end else {
                    fail(.malformedTemplate, at: here, "unterminated `${` in `\(path)`", hint: "add the closing `}`", context: &context)
                    return segments
                }
                if let variable = readVariable(s, bodyStart: i + 2, bodyEnd: close, at: here, context: &context) {
                    segments.append(.variable(variable))
                }
                i = close + 1
                textStart = i
            }
            if textStart < end { segments.append(.text(text(s, textStart, end))) }
            return segments
        }

        private mutating func readVariable(
            _ s: Bytes, bodyStart: Int, bodyEnd: Int, at here: SourceLocation, context: inout ValidationContext
        ) -> Variable? {
            let body = text(s, bodyStart, bodyEnd)
            guard bodyStart < bodyEnd else {
                fail(.malformedTemplate, at: here, "empty `${}` in `\(path)`", hint: "name a variable, e.g. `${container.id}`", context: &context)
                return nil
            }
            if body.hasPrefix("env.") {
                let nameStart = bodyStart + 4
                var nameEnd = nameStart
                while nameEnd < bodyEnd, !(s[nameEnd] == UInt8(ascii: ":") && nameEnd + 1 < bodyEnd && s[nameEnd + 1] == UInt8(ascii: "-")) {
                    nameEnd += 1
                }
                let name = text(s, nameStart, nameEnd)
                guard Variable.isEnvironmentName(Substring(name)) else {
                    let hint = name.contains(":")
                        ? "write a default as `${env.NAME:-default}`"
                        : "environment variable names use letters, digits and `_`, and do not start with a digit"
                    fail(.malformedTemplate, at: here, "`\(name)` is not a valid environment variable name in `\(path)`", hint: hint, context: &context)
                    return nil
                }
                var fallback: Template?
                if nameEnd < bodyEnd {
                    fallback = Template(segments: parse(s, from: nameEnd + 2, to: bodyEnd, context: &context))
                }
                let variable = Variable.environment(name: name, fallback: fallback)
                // The variable comes before those of its default.
                variables.insert((variable, here), at: variables.count - (fallback?.variables.count ?? 0))
                return variable
            }
            let known: Variable?
            do {
                known = try Variable(expression: body)
            } catch {
                known = nil
            }
            guard let variable = known, !variable.isInternal else {
                let closest = Suggestions.closest(to: body, in: Variable.documentedNames).map { "did you mean `${\($0)}`? " } ?? ""
                fail(
                    .unknownVariable, at: here, "unknown variable `${\(body)}` in `\(path)`",
                    hint: closest + "variables: " + TemplateReader.documentedVariables.map { "`\($0)`" }.joined(separator: ", "),
                    context: &context
                )
                return nil
            }
            variables.append((variable, here))
            return variable
        }

        private mutating func fail(_ rule: RuleID, at location: SourceLocation, _ message: String, hint: String, context: inout ValidationContext) {
            failed = true
            context.error(rule, at: location, message, hint: hint)
        }

        private func text(_ s: Bytes, _ from: Int, _ to: Int) -> String {
            String(decoding: Bytes(rebasing: s[from..<to]), as: UTF8.self)
        }
    }
}
