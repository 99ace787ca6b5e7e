/// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the
/// format GitHub code scanning uploads: one run whose tool driver `crplan`
/// lists every `RuleID` as a rule, and one result per diagnostic with its
/// file and, when known, its line and column.
///
/// Written by hand like `JSONReporter`, so the output is stable (keys in a
/// fixed order, rules in `RuleID.allCases` order) and needs no Foundation.
public struct SARIFReporter: DiagnosticReporter {
    /// The version the tool driver reports.
    public var toolVersion: String

    public init(toolVersion: String = "0.1.0") {
        self.toolVersion = toolVersion
    }

    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    public func render(_ diagnostics: [Diagnostic]) -> String {
        let rules = RuleID.allCases
        var output = "{\n"
        output += "  \"$schema\": \(Self.string(Self.schemaURI)),\n"
        output += "  \"version\": \"2.1.0\",\n"
        output += "  \"runs\": [\n    {\n"
        output += "      \"tool\": {\n        \"driver\": {\n"
        output += "          \"name\": \"crplan\",\n"
        output += "          \"version\": \(Self.string(toolVersion)),\n"
        output += "          \"informationUri\": \"https://crplan.invalid/\",\n"
        output += "          \"rules\": [\n"
        for (index, rule) in rules.enumerated() {
            output += "            {\"id\": \(Self.string(rule.rawValue))"
            output += ", \"name\": \(Self.string(Self.ruleName(rule)))"
            output += ", \"shortDescription\": {\"text\": \(Self.string(Self.ruleSummary(rule)))}"
            output += ", \"defaultConfiguration\": {\"level\": \(Self.string(Self.defaultLevel(rule)))}}"
            output += index == rules.count - 1 ? "\n" : ",\n"
        }
        output += "          ]\n        }\n      },\n"
        output += "      \"columnKind\": \"unicodeCodePoints\",\n"
        if diagnostics.isEmpty {
            output += "      \"results\": []\n"
        } else {
            output += "      \"results\": [\n"
            for (index, diagnostic) in diagnostics.enumerated() {
                output += "        " + result(diagnostic, ruleIndex: rules.firstIndex(of: diagnostic.rule) ?? 0)
                output += index == diagnostics.count - 1 ? "\n" : ",\n"
            }
            output += "      ]\n"
        }
        output += "    }\n  ]\n}\n"
        return output
    }

    private func result(_ diagnostic: Diagnostic, ruleIndex: Int) -> String {
        var message = diagnostic.message
        if let hint = diagnostic.hint { message += "\nhint: " + hint }
        var physical = "\"artifactLocation\": {\"uri\": \(Self.string(Self.uri(diagnostic.file)))}"
        if let location = diagnostic.location, location.line >= 1, location.column >= 1 {
            physical += ", \"region\": {\"startLine\": \(location.line), \"startColumn\": \(location.column)}"
        }
        return "{\"ruleId\": \(Self.string(diagnostic.rule.rawValue)), \"ruleIndex\": \(ruleIndex)"
            + ", \"level\": \(Self.string(diagnostic.severity == .error ? "error" : "warning"))"
            + ", \"message\": {\"text\": \(Self.string(message))}"
            + ", \"locations\": [{\"physicalLocation\": {\(physical)}}]}"
    }

    /// A relative URI reference for a file path: `%`-encodes what a URI
    /// may not hold (spaces, `#`, `?`, `%`, non-ASCII), keeps `/`.
    static func uri(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            let keep = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || "-._~/!$&'()*+,;=:@".unicodeScalars.contains(scalar)
            if keep {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        // A first segment with `:` would read as a URI scheme.
        if let colon = result.firstIndex(of: ":"), !result[..<colon].contains("/") {
            result = "./" + result
        }
        return result
    }

    /// `unknown-key` → `UnknownKey`, SARIF's style for rule names.
    static func ruleName(_ rule: RuleID) -> String {
        rule.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The rules that only ever warn; every other rule reports errors.
    static func defaultLevel(_ rule: RuleID) -> String {
        switch rule {
        case .ambiguousScalar, .nativeImageDir, .nativeIgnoredField, .externalIgnoredField,
             .unusualBinary, .criuArgumentRunsCode, .operationIgnoredField:
            "warning"
        default:
            "error"
        }
    }

    /// One line on what the rule checks.
    static func ruleSummary(_ rule: RuleID) -> String {
        switch rule {
        case .io: "The plan file could not be read."
        case .yamlSyntax: "The text is not valid YAML."
        case .emptyDocument: "The file holds no YAML document."
        case .multipleDocuments: "The file holds more than one YAML document."
        case .unsupportedYAML: "Anchors, aliases, tags, merge keys or complex keys, which plans do not use."
        case .duplicateKey: "A key is set twice in one mapping."
        case .unknownKey: "A key the plan format does not have."
        case .wrongType: "A value of the wrong YAML type."
        case .missingField: "A required field is missing."
        case .invalidEnum: "A value outside the field's choices."
        case .unsupportedVersion: "A plan format version this crplan does not read."
        case .invalidName: "A plan name that is not lowercase letters, digits and `-`."
        case .invalidContainer: "A container reference that is no Docker id, id prefix or name."
        case .relativePath: "A path that must be absolute is relative."
        case .parentSegment: "A path with a `..` segment."
        case .unknownVariable: "A `${...}` variable crplan does not know."
        case .malformedTemplate: "A `${` without its closing `}`, or an empty variable."
        case .variableNotAllowed: "A variable in a field that must be literal, or one not known when the field is used."
        case .duplicateExtMount: "An `extMounts` mount point or dump path listed twice."
        case .reservedCRIUArgument: "A CRIU option crplan or a plan field sets itself."
        case .invalidCRIUArgument: "A `criu.extraArgs` entry CRIU 4.1.1 would refuse."
        case .destructiveCRIUArgument: "A CRIU option that can destroy the checkpoint."
        case .unsupportedStorageDriver: "A Docker storage driver crplan cannot rebuild a root for."
        case .restoreLeaveRunning: "`criu.leaveRunning` in a plan that restores."
        case .invalidDuration: "A timeout that is no duration such as `90s` or `5m`."
        case .outOfRange: "A number outside the field's range."
        case .nativeImageDir: "`imageDir` in a native-mode plan, which Docker ignores."
        case .nativeIgnoredField: "A field native mode ignores."
        case .externalIgnoredField: "A native-mode-only field in an external-mode plan."
        case .operationIgnoredField: "A field the plan's operation never uses."
        case .ambiguousScalar: "A plain scalar YAML 1.1 tools read differently."
        case .invalidCheckpointName: "A Docker checkpoint name Docker refuses."
        case .ambiguousCRIUArgument: "A CRIU option abbreviation that matches several options."
        case .unsafeCRIUArgument: "A CRIU option that defeats crplan's checks or the run."
        case .criuArgumentRunsCode: "A CRIU option that makes CRIU run a program or load a library as root."
        case .controlCharacter: "A control character in a value that becomes an argument or a path."
        case .nonCanonicalPath: "A path with `//`, a `.` segment or a trailing `/`."
        case .systemPath: "A path crplan writes to, or Docker's home, in a system directory."
        case .unsafeExtMount: "An external mount that would hand the host to the container, or that CRIU cannot parse."
        case .optionLikeValue: "A value beginning with `-`, which a command reads as an option."
        case .unusualBinary: "A docker or CRIU binary not named like docker or criu."
        case .invalidDockerHost: "A `docker.host` that is no unix, tcp, ssh or fd address."
        case .unsetEnvironment: "An `${env.NAME}` without a default whose variable is unset."
        case .limitExceeded: "The file goes over one of crplan's input limits (size, nesting, aliases, lengths, counts)."
        case .migrateExternal: "`operation: migrate` with `mode: external`, which Docker cannot start from."
        case .archiveExternal: "`archive` with `mode: external`: the archive is started by `docker start --checkpoint`, which needs a native checkpoint."
        case .targetWithoutMigrate: "A `target` in a plan whose operation is not `migrate`."
        case .invalidSSH: "A `target.ssh` value ssh cannot be given safely."
        case .unsafeSSHOption: "An ssh option that runs a command, forwards, or weakens host-key checking."
        case .notSupportedYet: "A field this crplan parses but cannot run yet."
        case .nativePreDump: "`criu.preDump` in a native-mode plan; Docker cannot pre-dump."
        case .restoreArchiveField: "A field a restore from an archive cannot honour (`extMounts`, `restore.pidfile`, a runtime `imageDir`)."
        }
    }

    static func string(_ text: String) -> String { JSONReporter.string(text) }
}
