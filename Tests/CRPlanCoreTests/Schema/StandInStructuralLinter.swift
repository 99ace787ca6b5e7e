// STAND-IN — DELETE AT MERGE.
//
// The real linter (`Linter.lint(text:file:)`, branch `linter`) was not in
// this branch when the schema-agreement test was written. This file gives
// the test something to compare the schema with meanwhile: the structural
// rules only (`RuleID.isStructural`), typed by the YAML 1.2 core schema as
// the plan format says. At merge: delete this file, point
// `SchemaAgreementTests.crplanDiagnostics` at `Linter.lint`, and drop the
// Yams dependency of the test target in Package.swift.
import Yams
@testable import CRPlanCore

/// Structural checks of a plan, standing in for `Linter` until it lands.
enum StandInStructuralLinter {
    static func lint(text: String, file: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func report(_ rule: RuleID, _ mark: Mark?, _ message: String) {
            let location = mark.map { CRPlanCore.SourceLocation(line: $0.line, column: $0.column) }
            diagnostics.append(Diagnostic(file: file, location: location, severity: .error, rule: rule, message: message))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch {
            report(.yamlSyntax, nil, "\(error)")
            return diagnostics
        }
        guard let root else {
            report(.emptyDocument, nil, "the file holds no document")
            return diagnostics
        }
        check(root, against: .plan, path: "", report: report)
        return diagnostics
    }

    /// What a node must be; mirrors `Schemas/crplan-plan.v1.schema.json`.
    indirect enum Shape: Sendable {
        case string
        case name
        case container
        case version
        case integer(ClosedRange<Int>)
        case boolean
        case enumeration([String], unsupported: [String])
        case list(Shape)
        case mapping([String: Shape], required: [String])

        static let extMount = Shape.mapping(["path": .string, "dump": .string, "restore": .string], required: ["path", "restore"])
        static let plan = Shape.mapping([
            "version": .version,
            "name": .name,
            "description": .string,
            "container": .container,
            "operation": .enumeration(Plan.Operation.allCases.map(\.rawValue), unsupported: []),
            "mode": .enumeration(Plan.Mode.allCases.map(\.rawValue), unsupported: []),
            "storage": .mapping(["driver": .enumeration(Storage.Driver.allCases.map(\.rawValue), unsupported: Storage.unsupportedDrivers)], required: []),
            "docker": .mapping(["binary": .string, "home": .string, "host": .string], required: []),
            "criu": .mapping([
                "binary": .string, "logLevel": .integer(0...4), "manageCgroups": .boolean,
                "evasiveDevices": .boolean, "leaveRunning": .boolean, "tcpEstablished": .boolean,
                "shellJob": .boolean, "fileLocks": .boolean, "extraArgs": .list(.string),
            ], required: []),
            "imageDir": .string,
            "extMounts": .list(.extMount),
            "restore": .mapping(["pidfile": .string, "detach": .boolean, "checkpoint": .string], required: []),
            "timeouts": .mapping(["dump": .string, "restore": .string], required: []),
        ], required: ["version", "name", "container"])
    }

    /// The YAML 1.2 core schema type of a scalar.
    enum ScalarType { case null, bool, int, float, string }

    static func type(of scalar: Node.Scalar) -> ScalarType {
        guard scalar.style == .plain || scalar.style == .any else { return .string }
        let text = scalar.string
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN": return .float
        default: break
        }
        if isInteger(text) { return .int }
        if isFloat(text) { return .float }
        return .string
    }

    static func isInteger(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func all(_ slice: ArraySlice<UInt8>, _ test: (UInt8) -> Bool) -> Bool { !slice.isEmpty && slice.allSatisfy(test) }
        if bytes.starts(with: "0o".utf8) { return all(bytes.dropFirst(2)) { (0x30...0x37).contains($0) } }
        if bytes.starts(with: "0x".utf8) { return all(bytes.dropFirst(2)) { isHexDigit($0) } }
        let unsigned = bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") ? bytes.dropFirst() : bytes[...]
        return all(unsigned, isDigit)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    static func isFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes.removeFirst() }
        let integerDigits = bytes.prefix(while: isDigit).count
        bytes.removeFirst(integerDigits)
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            fractionDigits = bytes.prefix(while: isDigit).count
            bytes.removeFirst(fractionDigits)
            guard integerDigits > 0 || fractionDigits > 0 else { return false }
        } else if integerDigits == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes.removeFirst()
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes.removeFirst() }
            let exponentDigits = bytes.prefix(while: isDigit).count
            guard exponentDigits > 0 else { return false }
            bytes.removeFirst(exponentDigits)
        }
        return bytes.isEmpty
    }

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }

    /// `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`
    static func isPlanName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func alnum(_ byte: UInt8) -> Bool { isDigit(byte) || (0x61...0x7A).contains(byte) }
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
        return alnum(first) && alnum(last) && bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "\(type(of: scalar)) `\(scalar.string)`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    static func check(_ node: Node, against shape: Shape, path: String, report: (RuleID, Mark?, String) -> Void) {
        if case .alias = node {
            report(.unsupportedYAML, node.mark, "\(path): aliases are not supported")
            return
        }
        func wrongType(_ expected: String) {
            report(.wrongType, node.mark, "\(path): expected \(expected), found \(describe(node))")
        }
        func string() -> String? {
            guard case .scalar(let scalar) = node, type(of: scalar) == .string else {
                wrongType("a string")
                return nil
            }
            return scalar.string
        }
        switch shape {
        case .string:
            _ = string()
        case .name:
            if let text = string(), !isPlanName(text) {
                report(.invalidName, node.mark, "\(path): `\(text)` is not a valid plan name")
            }
        case .container:
            if let text = string(), ContainerReference(text) == nil {
                report(.invalidContainer, node.mark, "\(path): `\(text)` is no container id or name")
            }
        case .enumeration(let values, let unsupported):
            guard let text = string(), !values.contains(text) else { return }
            let rule: RuleID = unsupported.contains(text) ? .unsupportedStorageDriver : .invalidEnum
            report(rule, node.mark, "\(path): `\(text)` is not one of \(values.joined(separator: ", "))")
        case .boolean:
            guard case .scalar(let scalar) = node, type(of: scalar) == .bool else { return wrongType("true or false") }
        case .version, .integer:
            guard case .scalar(let scalar) = node, type(of: scalar) == .int else { return wrongType("an integer") }
            let text = scalar.string
            let value: Int? = if text.hasPrefix("0o") { Int(text.dropFirst(2), radix: 8) }
                else if text.hasPrefix("0x") { Int(text.dropFirst(2), radix: 16) }
                else { Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) }
            if case .integer(let range) = shape, !(value.map(range.contains) ?? false) {
                report(.outOfRange, node.mark, "\(path): \(text) is outside \(range.lowerBound)...\(range.upperBound)")
            } else if case .version = shape, value != 1 {
                report(.unsupportedVersion, node.mark, "\(path): only version 1 exists")
            }
        case .list(let item):
            guard case .sequence(let sequence) = node else { return wrongType("a list") }
            for (index, element) in sequence.enumerated() {
                check(element, against: item, path: "\(path)/\(index)", report: report)
            }
        case .mapping(let fields, let required):
            guard case .mapping(let mapping) = node else { return wrongType("a mapping") }
            var seen: Set<String> = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key, let field = fields[keyScalar.string] else {
                    report(.unknownKey, key.mark, "\(path): unknown key \(describe(key))")
                    continue
                }
                seen.insert(keyScalar.string)
                check(value, against: field, path: "\(path)/\(keyScalar.string)", report: report)
            }
            for name in required where !seen.contains(name) {
                report(.missingField, node.mark, "\(path): missing required field `\(name)`")
            }
        }
    }
}
