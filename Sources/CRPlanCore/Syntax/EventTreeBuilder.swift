import CYaml

/// Turns LibYAML events into `YAMLNode` trees, one per document.
///
/// Kept apart from the parser loop so the loop only feeds events; every
/// decision about anchors, tags and keys lives here.
struct EventTreeBuilder {
    let file: String
    private(set) var documents: [YAMLNode] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// False once loading stopped early (syntax error, alias bomb).
    private(set) var isComplete = true

    private var stack: [Frame] = []
    private var root: YAMLNode?
    private var anchors: [String: Anchored] = [:]
    private var nodeCount = 0
    /// Scalar bytes in the document, aliases counting what they copy.
    private var byteCount = 0

    private struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var entries: [YAMLMapping.Entry] = []
        var items: [YAMLNode] = []
        var pendingKey: PendingKey = .none
        var anchor: String?
        var countAtStart: Int
        var bytesAtStart: Int
    }

    private enum PendingKey {
        case none
        case key(YAMLScalar)
        /// The key was not a scalar: drop the value that follows.
        case skipValue
    }

    private struct Anchored {
        var node: YAMLNode
        var size: Int
        var bytes: Int
    }

    init(file: String) {
        self.file = file
    }

    /// Handles one event; false stops loading.
    mutating func consume(_ event: inout yaml_event_t) -> Bool {
        let location = Self.location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            root = nil
            anchors.removeAll(keepingCapacity: true)
            // Node and byte counts run over the whole file, not per document.
        case YAML_DOCUMENT_END_EVENT:
            documents.append(root ?? .scalar(YAMLScalar(value: "", style: .plain, location: location)))
            root = nil
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            guard data.length <= PlanLimits.maximumScalarBytes else {
                return exceeded(
                    "this value is \(data.length) bytes long; a plan value may have at most \(PlanLimits.maximumScalarBytes) bytes",
                    hint: "shorten it: paths have at most 4096 bytes", at: location
                )
            }
            let value = data.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self)
            } ?? ""
            var style: YAMLScalar.Style
            switch data.style {
            case YAML_PLAIN_SCALAR_STYLE: style = .plain
            case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: style = .block
            default: style = .quoted
            }
            if let tag = data.tag {
                if Self.isStringTag(tag) {
                    if style == .plain { style = .quoted }
                } else {
                    unsupportedTag(tag, at: location)
                }
            }
            nodeCount += 1
            byteCount += data.length
            guard withinSize(at: location) else { return false }
            let node = YAMLNode.scalar(YAMLScalar(value: value, style: style, location: location))
            if let anchor = data.anchor {
                anchors[Self.string(anchor)] = Anchored(node: node, size: 1, bytes: data.length)
            }
            return add(node)
        case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            if let tag, !Self.isCollectionTag(tag, mapping: isMapping) {
                unsupportedTag(tag, at: location)
            }
            guard stack.count < PlanLimits.maximumDepth else {
                return exceeded(
                    "mappings and lists nest too deeply here; a plan may nest at most \(PlanLimits.maximumDepth) levels",
                    hint: "a plan nests at most 3 levels; remove the extra brackets or indentation", at: location
                )
            }
            nodeCount += 1
            guard withinSize(at: location) else { return false }
            if stack.isEmpty { stack.reserveCapacity(8) }
            stack.append(Frame(
                isMapping: isMapping,
                location: location,
                anchor: anchor.map(Self.string),
                countAtStart: nodeCount - 1,
                bytesAtStart: byteCount
            ))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            guard let frame = stack.popLast() else { return true }
            let node: YAMLNode = frame.isMapping
                ? .mapping(YAMLMapping(entries: frame.entries, location: frame.location))
                : .sequence(YAMLSequence(items: frame.items, location: frame.location))
            if let anchor = frame.anchor {
                anchors[anchor] = Anchored(node: node, size: nodeCount - frame.countAtStart, bytes: byteCount - frame.bytesAtStart)
            }
            return add(node)
        case YAML_ALIAS_EVENT:
            let name = event.data.alias.anchor.map(Self.string) ?? ""
            guard let anchored = anchors[name] else {
                fail(Diagnostic(
                    file: file, location: location, severity: .error, rule: .yamlSyntax,
                    message: "alias `*\(shown(name))` refers to no anchor defined before it",
                    hint: "define `&\(shown(name))` on a node earlier in the document"
                ))
                return false
            }
            nodeCount += anchored.size
            byteCount += anchored.bytes
            guard nodeCount <= PlanLimits.maximumNodes else {
                return exceeded(
                    "aliases expand this file to more than \(PlanLimits.maximumNodes) nodes",
                    hint: "write the plan without nested aliases", at: location
                )
            }
            guard byteCount <= PlanLimits.maximumExpandedBytes else {
                return exceeded(
                    "aliases expand this file to more than \(PlanLimits.maximumExpandedBytes) bytes of values",
                    hint: "write the plan without aliases of long values", at: location
                )
            }
            return add(anchored.node)
        default:
            break
        }
        return true
    }

    /// Attaches a finished node to the open collection, or makes it the root.
    private mutating func add(_ node: YAMLNode) -> Bool {
        guard !stack.isEmpty else {
            root = node
            return true
        }
        let top = stack.count - 1
        guard stack[top].isMapping else {
            guard stack[top].items.count < PlanLimits.maximumSequenceItems else {
                return exceeded(
                    "the list that starts at \(stack[top].location) has more than \(PlanLimits.maximumSequenceItems) items",
                    hint: "a plan's lists hold a few entries; split or shorten it", at: node.location
                )
            }
            if stack[top].items.isEmpty { stack[top].items.reserveCapacity(4) }
            stack[top].items.append(node)
            return true
        }
        if case .none = stack[top].pendingKey, stack[top].entries.count >= PlanLimits.maximumMappingKeys {
            return exceeded(
                "the mapping that starts at \(stack[top].location) has more than \(PlanLimits.maximumMappingKeys) keys",
                hint: "a plan section holds at most 13 keys", at: node.location
            )
        }
        switch stack[top].pendingKey {
        case .key(let key):
            if stack[top].entries.isEmpty { stack[top].entries.reserveCapacity(8) }
            stack[top].entries.append(YAMLMapping.Entry(key: key, value: node))
            stack[top].pendingKey = .none
        case .skipValue:
            stack[top].pendingKey = .none
        case .none:
            if case .scalar(let key) = node {
                stack[top].pendingKey = .key(key)
            } else {
                diagnostics.append(Diagnostic(
                    file: file, location: node.location, severity: .error, rule: .unsupportedYAML,
                    message: "a key must be a plain name, found \(node.kindDescription)",
                    hint: "plan keys are names like `imageDir`; remove the `?` complex key"
                ))
                stack[top].pendingKey = .skipValue
            }
        }
        return true
    }

    private mutating func unsupportedTag(_ tag: UnsafeMutablePointer<yaml_char_t>, at location: SourceLocation) {
        var name = Self.string(tag)
        let standard = "tag:yaml.org,2002:"
        if name.hasPrefix(standard) { name = "!!" + name.dropFirst(standard.utf8.count) }
        diagnostics.append(Diagnostic(
            file: file, location: location, severity: .error, rule: .unsupportedYAML,
            message: "YAML tag `\(name)` is not supported in plans",
            hint: "remove the tag; quote a value to make it a string"
        ))
    }

    private mutating func fail(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
        isComplete = false
    }

    /// Stops loading with a `limit-exceeded` error; returns false for `consume`.
    private mutating func exceeded(_ message: String, hint: String, at location: SourceLocation) -> Bool {
        fail(Diagnostic(file: file, location: location, severity: .error, rule: .limitExceeded, message: message, hint: hint))
        return false
    }

    /// False (after the error) once the document holds too many nodes.
    private mutating func withinSize(at location: SourceLocation) -> Bool {
        guard nodeCount <= PlanLimits.maximumNodes else {
            return exceeded(
                "this file holds more than \(PlanLimits.maximumNodes) YAML nodes",
                hint: "a plan holds a few dozen values", at: location
            )
        }
        return true
    }

    mutating func memoryError() -> Diagnostic {
        isComplete = false
        return Diagnostic(
            file: file, location: nil, severity: .error, rule: .yamlSyntax,
            message: "LibYAML could not allocate memory to parse this file"
        )
    }

    /// Records LibYAML's error: its problem, context and positions.
    mutating func syntaxError(_ parser: yaml_parser_t, input: UnsafeRawBufferPointer) {
        let location: SourceLocation
        if parser.error == YAML_READER_ERROR {
            location = Self.location(ofByte: parser.problem_offset, in: input)
        } else {
            location = Self.location(parser.problem_mark)
        }
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        let contextLocation = Self.location(parser.context_mark)
        if problem.contains("yaml_set_max_nest_level") {
            fail(Diagnostic(
                file: file, location: location, severity: .error, rule: .limitExceeded,
                message: "mappings and lists nest too deeply here; a plan may nest at most \(PlanLimits.maximumDepth) levels",
                hint: "a plan nests at most 3 levels; remove the extra brackets or indentation"
            ))
            return
        }
        if parser.error == YAML_MEMORY_ERROR {
            fail(Diagnostic(
                file: file, location: location, severity: .error, rule: .yamlSyntax,
                message: "crplan could not allocate memory to read this file", hint: nil
            ))
            return
        }
        if parser.error == YAML_READER_ERROR {
            let message = problem == "control characters are not allowed"
                ? "a control character (other than tab and line break) is not allowed in a plan"
                : "the file is not valid UTF-8 here"
            fail(Diagnostic(
                file: file, location: location, severity: .error, rule: .yamlSyntax,
                message: message, hint: "save the plan as UTF-8 text"
            ))
            return
        }
        // LibYAML gives up on a plain key after 1024 characters.
        let longSimpleKey = parser.problem_mark.index - parser.context_mark.index > 1024
        let wording = YAMLSyntaxWording.describe(
            problem: problem, context: context, contextLocation: contextLocation, longSimpleKey: longSimpleKey
        )
        fail(Diagnostic(
            file: file, location: wording.atContext ? contextLocation : location, severity: .error, rule: .yamlSyntax,
            message: wording.message, hint: wording.hint
        ))
    }

    // MARK: - Helpers

    static func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: mark.line + 1, column: mark.column + 1)
    }

    /// The 1-based position of a byte offset (for reader errors, which have no mark).
    static func location(ofByte offset: Int, in input: UnsafeRawBufferPointer) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in input.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }

    static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: pointer)
    }

    private static func isStringTag(_ tag: UnsafeMutablePointer<yaml_char_t>) -> Bool {
        let name = string(tag)
        return name == "tag:yaml.org,2002:str" || name == "!"
    }

    private static func isCollectionTag(_ tag: UnsafeMutablePointer<yaml_char_t>, mapping: Bool) -> Bool {
        string(tag) == (mapping ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq")
    }
}
