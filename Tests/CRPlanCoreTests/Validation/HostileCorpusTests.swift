import Foundation
import Testing
@testable import CRPlanCore

/// The hostile corpus (scripts/gen-hostile-corpus.py, plus the hand-written
/// Fixtures/hostile): every file goes through lint and, when it is a plan,
/// the planner, in this process. None may crash (a crash ends the test
/// run); every error has a line and column; the name's prefix gives the
/// verdict (`err-` errors, `warn-` warnings only, `ok-` neither, `any-` a
/// truncation or random mutation), and Fixtures/hostile/expected.tsv pins
/// the exact rule ids of each file's errors and warnings.
@Suite struct HostileCorpusTests {
    struct Entry: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var testDescription: String { name }
    }

    /// Generated into a temporary folder once per test run.
    static let corpus: Result<[Entry], CorpusError> = {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("crplan-hostile-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = SchemaCorpus.repositoryRoot.appendingPathComponent("scripts/gen-hostile-corpus.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, folder.path]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return .failure(CorpusError(reason: "cannot run \(script.path): \(error)"))
        }
        guard process.terminationStatus == 0 else {
            return .failure(CorpusError(reason: "\(script.path) exited \(process.terminationStatus)"))
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return .success(names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
            return Entry(name: name, bytes: [UInt8](data))
        })
    }()

    struct CorpusError: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    static var entries: [Entry] { (try? corpus.get()) ?? [] }

    /// The rule ids each file must give: file name → (error rules, warning rules).
    static let expected: [String: (errors: Set<String>, warnings: Set<String>)] = {
        let path = SchemaCorpus.repositoryRoot.appendingPathComponent("Tests/CRPlanCoreTests/Fixtures/hostile/expected.tsv").path
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var table: [String: (errors: Set<String>, warnings: Set<String>)] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            func rules(_ field: String) -> Set<String> { field == "-" ? [] : Set(field.split(separator: ",").map(String.init)) }
            table[fields[0]] = (rules(fields[1]), rules(fields[2]))
        }
        return table
    }()

    /// The line of expected.tsv that says what `result` gives.
    static func expectationLine(_ name: String, _ result: ValidationResult) -> String {
        func rules(_ severity: Severity) -> String {
            let ids = Set(result.diagnostics.filter { $0.severity == severity }.map(\.rule.rawValue)).sorted()
            return ids.isEmpty ? "-" : ids.joined(separator: ",")
        }
        return "\(name)\t\(rules(.error))\t\(rules(.warning))"
    }

    /// Errors with a position; `empty-document` errors concern the whole file.
    static func positionedErrors(_ result: ValidationResult) -> [Diagnostic] {
        result.diagnostics.filter { $0.severity == .error && ($0.location != nil || $0.rule == .emptyDocument) }
    }

    @Test func corpusIsLargeAndCoversEveryClass() throws {
        let entries = try Self.corpus.get()
        #expect(entries.count >= 300)
        // Every pinned file exists (a renamed or dropped file leaves no stale line).
        #expect(Set(Self.expected.keys) == Set(entries.map(\.name)), "expected.tsv and the corpus differ")
        for kind in ["nest", "alias", "scalar", "keys", "items", "utf16", "invalid-utf8", "nul", "bom", "tag",
                     "number", "duration", "template", "path", "argv", "criu-option"] {
            #expect(entries.contains { $0.name.contains(kind) }, "no \(kind) file")
        }
    }

    @Test(arguments: entries)
    func lintAndPlanEndInPositionedDiagnostics(_ entry: Entry) throws {
        // An environment, as `crplan lint` and `crplan plan` have: `${env.X}` without a default is checked.
        let environment = ["HOME": "/root"]
        let result = Linter.lint(bytes: entry.bytes, file: entry.name, environment: environment)
        let diagnosticsOnly = entry.bytes.withUnsafeBytes { Linter.diagnostics(bytes: $0, file: entry.name, environment: environment) }
        #expect(diagnosticsOnly == result.diagnostics)
        #expect(result.diagnostics.count <= PlanLimits.maximumDiagnostics + 1)
        // No message quotes more of a value than the limit (plus the text around it).
        #expect(result.diagnostics.allSatisfy { $0.message.utf8.count < 2_000 && ($0.hint?.utf8.count ?? 0) < 2_000 })
        let verdict = entry.name.hasPrefix("hand-") ? entry.name.dropFirst(5).prefix { $0 != "-" } : entry.name.prefix { $0 != "-" }
        let errors = Set(result.diagnostics.filter { $0.severity == .error }.map(\.rule.rawValue))
        let warnings = Set(result.diagnostics.filter { $0.severity == .warning }.map(\.rule.rawValue))
        switch verdict {
        case "err": #expect(!errors.isEmpty, "\(entry.name) is lint-clean")
        case "warn": #expect(errors.isEmpty && !warnings.isEmpty, "\(entry.name): errors \(errors.sorted()), warnings \(warnings.sorted())")
        case "ok": #expect(errors.isEmpty && warnings.isEmpty, "\(entry.name): errors \(errors.sorted()), warnings \(warnings.sorted())")
        case "any": break
        default: Issue.record("\(entry.name): the name must start with err-, warn-, ok- or any-")
        }
        if result.hasErrors {
            #expect(!Self.positionedErrors(result).isEmpty, "\(entry.name): no positioned error in \(result.diagnostics)")
        }
        let pinned = Self.expected[entry.name]
        #expect(pinned?.errors == errors && pinned?.warnings == warnings,
                "\(entry.name) is not as Fixtures/hostile/expected.tsv says; it gives:\n\(Self.expectationLine(entry.name, result))")
        let isError = verdict == "err"
        if let plan = result.plan {
            #expect(!isError)
            if let graph = try? Planner(environment: ["HOME": "/root"]).compile(plan) {
                for format in DryRunFormat.allCases {
                    _ = try? DryRunRenderer().render(graph, as: format)
                }
            }
        }
    }
}
