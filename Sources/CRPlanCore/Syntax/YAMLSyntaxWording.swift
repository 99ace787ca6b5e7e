/// LibYAML's syntax errors in crplan's own words.
///
/// LibYAML reports a problem ("found unexpected end of stream") and what it
/// was doing ("while scanning a quoted scalar") with two positions; its
/// texts name parser internals and, for some limits, its C API. crplan says
/// what is wrong in the plan's terms and where the operator should look:
/// for a quote never closed, at the opening quote (LibYAML's problem
/// position is the end of the file). No LibYAML text is shown.
struct YAMLSyntaxWording: Equatable {
    var message: String
    var hint: String?
    /// True when the diagnostic belongs at the context position (where the
    /// construct LibYAML was reading starts), not at the problem position.
    var atContext: Bool = false

    /// `problem` and `context` as LibYAML set them; `contextLocation` is
    /// where the context starts, `longSimpleKey` true when LibYAML gave up
    /// on a plain key after 1024 characters.
    static func describe(problem: String, context: String?, contextLocation: SourceLocation, longSimpleKey: Bool) -> YAMLSyntaxWording {
        let start = "\(contextLocation)"
        let indentHint = "check the indentation, and that every key ends with `:`"
        switch (problem, context ?? "") {
        case ("found unexpected end of stream", "while scanning a quoted scalar"):
            return .init(
                message: "this quoted value is never closed: the file ends before its closing quote",
                hint: "end the value with the quote it starts with (`\"` or `'`)", atContext: true
            )
        case ("found unexpected document indicator", "while scanning a quoted scalar"):
            return .init(
                message: "this quoted value is never closed: a `---` or `...` line comes before its closing quote",
                hint: "end the value with the quote it starts with (`\"` or `'`)", atContext: true
            )
        case ("could not find expected ':'", "while scanning a simple key"):
            if longSimpleKey {
                return .init(
                    message: "this key is longer than 1024 characters, or its `:` is missing",
                    hint: "plan keys are short names like `imageDir`; a key ends with `:`", atContext: true
                )
            }
            return .init(message: "this line is not `key: value`: the `:` after the key is missing", hint: indentHint, atContext: true)
        case ("did not find expected ',' or '}'", _):
            return .init(
                message: "the `{ … }` mapping that starts at \(start) is not closed, or its entries are not separated by `,` here",
                hint: "write `{key: value, other: value}`; a key is at most 1024 characters"
            )
        case ("did not find expected ',' or ']'", _):
            return .init(
                message: "the `[ … ]` list that starts at \(start) is not closed, or its items are not separated by `,` here",
                hint: "write `[one, two]`; quote an item that contains `,`, `[` or `]`"
            )
        case ("mapping values are not allowed in this context", _):
            return .init(
                message: "`: ` cannot start a mapping here: this line is read as part of the value before it",
                hint: "quote a value that contains `: `, or fix the indentation of the key"
            )
        case ("did not find expected key", _):
            return .init(message: "this line does not fit the mapping that starts at \(start): a `key:` is expected here", hint: indentHint)
        case ("did not find expected '-' indicator", _):
            return .init(
                message: "this line does not fit the list that starts at \(start): a `- ` item is expected here",
                hint: "indent every item of a list alike, each starting with `- `"
            )
        case ("did not find expected node content", _):
            return .init(message: "a value is expected here", hint: indentHint)
        case ("block sequence entries are not allowed in this context", _):
            return .init(message: "a `- ` list item cannot start here", hint: "put a list on its own lines under its key, one more level indented")
        case ("mapping keys are not allowed in this context", _):
            return .init(message: "a `? ` key cannot start here", hint: "plans write keys as `key: value`")
        case ("did not find expected <document start>", _):
            return .init(message: "text follows the end of the plan's mapping", hint: "a plan file holds one YAML mapping; check the indentation of this line")
        case ("did not find expected comment or line break", _):
            return .init(message: "unexpected text after the value on this line", hint: "quote a value that contains `#` or spaces after a quote")
        case ("did not find expected alphabetic or numeric character", _):
            return .init(message: "an `&` anchor or `*` alias needs a name here", hint: "quote a value that starts with `&` or `*`")
        case ("found undefined tag handle", _), ("did not find expected tag URI", _), ("did not find expected whitespace or line break", "while scanning a tag"):
            return .init(message: "a `!` tag here is not valid YAML", hint: "plans use no tags; quote a value that starts with `!`")
        case ("did not find expected whitespace or line break", _):
            return .init(message: "a `|` or `>` block value needs a line break after its indicator", hint: "start the text on the next line, indented")
        case ("found unknown escape character", _), ("did not find expected hexdecimal number", _), ("found invalid Unicode character escape code", _):
            return .init(
                message: "this double-quoted value has a `\\` escape YAML does not know",
                hint: "write `\\\\` for a backslash, or use single quotes, in which `\\` is plain text"
            )
        case ("found unexpected end of stream", _):
            return .init(message: "the file ends in the middle of the value that starts at \(start)", hint: "complete or remove that value")
        case ("found unexpected ':'", _):
            return .init(message: "a `:` here is not valid YAML", hint: "quote a value that contains `:`")
        case ("found an indentation indicator equal to 0", _):
            return .init(message: "a block value's indentation indicator must be 1 to 9", hint: "write `|` or `>` alone, or `|2`")
        default:
            break
        }
        if (context ?? "").contains("directive") || problem.contains("directive") || problem.contains("version number")
            || problem == "found incompatible YAML document" {
            return .init(message: "this `%` directive is not valid", hint: "plans need no `%YAML` or `%TAG` line; remove it")
        }
        if problem.contains("tab") || problem == "found character that cannot start any token" {
            return .init(
                message: problem.contains("tab") ? "a tab is used for indentation here" : "this character cannot start a value here",
                hint: "indent with spaces (YAML does not allow tabs there), and quote a value that starts with `@` or `` ` ``"
            )
        }
        return .init(
            message: "this is not valid YAML" + (context == nil ? "" : " (in what starts at \(start))"),
            hint: "quote values that contain `: `, `#` or start with a YAML indicator, and check the indentation"
        )
    }
}
