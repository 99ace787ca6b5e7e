/// A template read from a plan, with where each of its variables stands.
struct ReadTemplate {
    var template: Template
    /// Every variable (those in `env` defaults too) and the byte offset of
    /// its `${` in the scalar's value.
    var variables: [(variable: Variable, offset: Int)]
    var scalar: YAMLScalar
}

/// Parses `${...}` templates in plan values and reports every malformed
/// or unknown variable at its own column (the model's `Template(parsing:)`
/// stops at the first problem and knows no positions). Works on bytes:
/// it runs on every path of every plan.
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
        return ReadTemplate(template: Template(mergedSegments: segments), variables: state.variables, scalar: scalar)
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

    /// The variables with fixed names, matched on bytes.
    private static let namedVariables: [(name: StaticString, variable: Variable)] = [
        ("container.id", .containerID), ("container.name", .containerName), ("container.pid", .containerPid),
        ("container.dir", .containerDir), ("container.rootfs", .containerRootfs), ("docker.home", .dockerHome),
        ("imageDir", .imageDir), ("plan.name", .planName),
    ]

    static func namedVariable(_ s: Bytes) -> Variable? {
        for entry in namedVariables where PlainScalarResolver.equals(s, entry.name) {
            return entry.variable
        }
        return nil
    }

    private struct State {
        let scalar: YAMLScalar
        let path: FieldPath
        var variables: [(variable: Variable, offset: Int)] = []
        var failed = false
        /// Set when a limit was exceeded: parsing ends at once.
        var stopped = false
        /// `${` seen so far, known or not (bounded by `PlanLimits`).
        var seen = 0
        /// How many `env` defaults enclose the text being parsed.
        var depth = 0

        init(scalar: YAMLScalar, path: FieldPath) {
            self.scalar = scalar
            self.path = path
        }

        mutating func parse(_ s: Bytes, from start: Int, to end: Int, context: inout ValidationContext) -> [Template.Segment] {
            var segments: [Template.Segment] = []
            var textStart = start
            var i = start
            while i < end, !stopped {
                guard s[i] == UInt8(ascii: "$"), i + 1 < end, s[i + 1] == UInt8(ascii: "{") else {
                    i += 1
                    continue
                }
                seen += 1
                guard seen <= PlanLimits.maximumTemplateVariables else {
                    stop(at: i, "`\(path)` holds more than \(PlanLimits.maximumTemplateVariables) `${...}` variables",
                         hint: "a path needs a few variables; shorten the value", context: &context)
                    return segments
                }
                if segments.isEmpty { segments.reserveCapacity(4) }
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
                guard close < end else {
                    fail(.malformedTemplate, at: i, "unterminated `${` in `\(path)`", hint: "add the closing `}`", context: &context)
                    return segments
                }
                if let variable = readVariable(s, at: i, bodyEnd: close, context: &context) {
                    segments.append(.variable(variable))
                }
                i = close + 1
                textStart = i
            }
            if textStart < end { segments.append(.text(text(s, textStart, end))) }
            return segments
        }

        /// The variable in `${...}` starting at `dollar` and closing at `bodyEnd`.
        private mutating func readVariable(_ s: Bytes, at dollar: Int, bodyEnd: Int, context: inout ValidationContext) -> Variable? {
            let bodyStart = dollar + 2
            let body = Bytes(rebasing: s[bodyStart..<bodyEnd])
            guard !body.isEmpty else {
                fail(.malformedTemplate, at: dollar, "empty `${}` in `\(path)`", hint: "name a variable, e.g. `${container.id}`", context: &context)
                return nil
            }
            if body.starts(with: "env.".utf8) {
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
                    fail(.malformedTemplate, at: dollar, "`\(shown(name))` is not a valid environment variable name in `\(path)`", hint: hint, context: &context)
                    return nil
                }
                var fallback: Template?
                let firstNested = variables.count
                if nameEnd < bodyEnd {
                    guard depth < PlanLimits.maximumTemplateDepth else {
                        stop(at: dollar, "`${env.NAME:-…}` defaults nest more than \(PlanLimits.maximumTemplateDepth) deep in `\(path)`",
                             hint: "a default may itself hold a default, at most \(PlanLimits.maximumTemplateDepth) deep", context: &context)
                        return nil
                    }
                    depth += 1
                    fallback = Template(mergedSegments: parse(s, from: nameEnd + 2, to: bodyEnd, context: &context))
                    depth -= 1
                    if stopped { return nil }
                }
                let variable = Variable.environment(name: name, fallback: fallback)
                // The variable comes before those of its default.
                variables.insert((variable, dollar), at: firstNested)
                return variable
            }
            guard let variable = TemplateReader.namedVariable(body) else {
                let name = text(s, bodyStart, bodyEnd)
                let closest = Suggestions.closest(to: name, in: Variable.documentedNames).map { "did you mean `${\($0)}`? " } ?? ""
                fail(
                    .unknownVariable, at: dollar, "unknown variable `${\(shown(name))}` in `\(path)`",
                    hint: closest + "variables: " + TemplateReader.documentedVariables.map { "`\($0)`" }.joined(separator: ", "),
                    context: &context
                )
                return nil
            }
            variables.append((variable, dollar))
            return variable
        }

        /// Reports an exceeded limit and ends the parse.
        private mutating func stop(at offset: Int, _ message: String, hint: String, context: inout ValidationContext) {
            stopped = true
            fail(.limitExceeded, at: offset, message, hint: hint, context: &context)
        }

        private mutating func fail(_ rule: RuleID, at offset: Int, _ message: String, hint: String, context: inout ValidationContext) {
            failed = true
            context.error(rule, at: TemplateReader.location(of: offset, in: scalar), message, hint: hint)
        }

        private func text(_ s: Bytes, _ from: Int, _ to: Int) -> String {
            String(decoding: Bytes(rebasing: s[from..<to]), as: UTF8.self)
        }
    }
}
