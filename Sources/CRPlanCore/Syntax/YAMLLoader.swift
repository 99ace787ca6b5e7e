import CYaml

/// The documents of one YAML file, or the diagnostics that stopped loading.
public struct YAMLLoadResult: Sendable, Equatable {
    /// One root node per document, in order.
    public var documents: [YAMLNode]
    /// Syntax errors (loading stops at the first) and YAML features a plan
    /// has no use for (loading goes on without them).
    public var diagnostics: [Diagnostic]

    public init(documents: [YAMLNode], diagnostics: [Diagnostic], isComplete: Bool) {
        self.documents = documents
        self.diagnostics = diagnostics
        self.isComplete = isComplete
    }

    /// False when loading stopped early (a syntax error, an alias bomb):
    /// `documents` is then partial and must not be validated.
    public var isComplete: Bool
}

/// Builds `YAMLNode` trees straight from LibYAML's event stream.
///
/// This exists because linting speed is a headline target: reading events
/// directly skips Yams' resolver (regular expressions on every scalar) and
/// its environment lookups, and keeps every node's 1-based position.
///
/// Decisions:
/// - Anchors and aliases are resolved: an alias is a copy of the anchored
///   node, with the anchored node's positions. Expansion is capped
///   (`maximumNodes`), so an alias bomb is reported, not expanded.
/// - Keys must be scalars; a mapping or list as a key is `unsupported-yaml`
///   and the entry is dropped.
/// - Tags: `!!str` on a scalar makes it a string (as quoting does), `!!map`
///   and `!!seq` on the matching node are accepted; any other tag is
///   `unsupported-yaml` and ignored.
/// - A UTF-8 byte order mark at the start is skipped (one: a second one
///   is a syntax error, whatever read the file).
/// - Every dimension is bounded (`PlanLimits`): going over a limit stops
///   loading with a positioned `limit-exceeded` error.
public enum YAMLLoader {
    /// The most nodes a file may expand to through aliases.
    public static let maximumNodes = PlanLimits.maximumNodes

    public static func load(_ text: String, file: String) -> YAMLLoadResult {
        var text = text
        return text.withUTF8 { load(UnsafeRawBufferPointer($0), file: file) }
    }

    public static func load(_ bytes: [UInt8], file: String) -> YAMLLoadResult {
        bytes.withUnsafeBytes { load($0, file: file) }
    }

    public static func load(_ bytes: UnsafeRawBufferPointer, file: String) -> YAMLLoadResult {
        var input = bytes
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF {
            input = UnsafeRawBufferPointer(rebasing: input[3...])
        }
        var builder = EventTreeBuilder(file: file)
        guard input.count <= PlanLimits.maximumFileBytes else {
            let diagnostic = PlanLimits.fileTooLarge(file: file)
            return YAMLLoadResult(documents: [], diagnostics: [diagnostic], isComplete: false)
        }
        if let problem = encodingProblem(input) {
            let diagnostic = Diagnostic(
                file: file, location: SourceLocation(line: 1, column: 1), severity: .error, rule: .yamlSyntax,
                message: problem, hint: "save the plan as UTF-8 without a byte order mark"
            )
            return YAMLLoadResult(documents: [], diagnostics: [diagnostic], isComplete: false)
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return YAMLLoadResult(documents: [], diagnostics: [builder.memoryError()], isComplete: false)
        }
        defer { yaml_parser_delete(&parser) }
        let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        // LibYAML needs a non-null pointer even for empty input.
        var empty: UInt8 = 0
        withUnsafeMutablePointer(to: &empty) { emptyPointer in
            yaml_parser_set_input_string(&parser, base ?? UnsafePointer(emptyPointer), input.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    builder.syntaxError(parser, input: input)
                    return
                }
                let type = event.type
                let keepGoing = builder.consume(&event)
                yaml_event_delete(&event)
                if !keepGoing || type == YAML_STREAM_END_EVENT { return }
            }
        }
        return YAMLLoadResult(documents: builder.documents, diagnostics: builder.diagnostics, isComplete: builder.isComplete)
    }

    /// A second UTF-8 byte order mark, or a UTF-16/32 one, at the start
    /// (after the first UTF-8 mark was skipped): LibYAML would report it
    /// lines later, in its own words.
    static func encodingProblem(_ input: UnsafeRawBufferPointer) -> String? {
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF {
            return "the file starts with two UTF-8 byte order marks"
        }
        if input.count >= 2, (input[0] == 0xFF && input[1] == 0xFE) || (input[0] == 0xFE && input[1] == 0xFF) {
            return "the file is UTF-16 or UTF-32 (it starts with such a byte order mark); plans are UTF-8"
        }
        return nil
    }
}
