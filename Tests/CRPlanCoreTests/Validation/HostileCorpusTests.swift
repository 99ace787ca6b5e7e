import Foundation
import Testing
@testable import CRPlanCore

/// The hostile corpus (scripts/gen-hostile-corpus.py, plus the hand-written
/// Fixtures/hostile): every file goes through lint and, when it is a plan,
/// the planner, in this process. None may crash (a crash ends the test
/// run), and each `err-*` file must end as errors with a line and column.
/// `any-*` files (dangerous paths, argv-looking strings, risky CRIU
/// options) may still be clean until the value rules refuse them; when
/// they have errors, those are positioned too.
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

    /// Errors with a position; `empty-document` errors concern the whole file.
    static func positionedErrors(_ result: ValidationResult) -> [Diagnostic] {
        result.diagnostics.filter { $0.severity == .error && ($0.location != nil || $0.rule == .emptyDocument) }
    }

    @Test func corpusIsLargeAndCoversEveryClass() throws {
        let entries = try Self.corpus.get()
        #expect(entries.count >= 300)
        for kind in ["nest", "alias", "scalar", "keys", "items", "utf16", "invalid-utf8", "nul", "bom", "tag",
                     "number", "duration", "template", "path", "argv", "criu-option"] {
            #expect(entries.contains { $0.name.contains(kind) }, "no \(kind) file")
        }
    }

    @Test(arguments: entries)
    func lintAndPlanEndInPositionedDiagnostics(_ entry: Entry) throws {
        let result = Linter.lint(bytes: entry.bytes, file: entry.name)
        let diagnosticsOnly = entry.bytes.withUnsafeBytes { Linter.diagnostics(bytes: $0, file: entry.name) }
        #expect(diagnosticsOnly == result.diagnostics)
        #expect(result.diagnostics.count <= PlanLimits.maximumDiagnostics + 1)
        // No message quotes more of a value than the limit (plus the text around it).
        #expect(result.diagnostics.allSatisfy { $0.message.utf8.count < 2_000 && ($0.hint?.utf8.count ?? 0) < 2_000 })
        let isError = entry.name.hasPrefix("err-") || entry.name.hasPrefix("hand-err-")
        if isError {
            #expect(result.hasErrors, "\(entry.name) is lint-clean")
            #expect(!Self.positionedErrors(result).isEmpty, "\(entry.name): no positioned error in \(result.diagnostics)")
        } else if result.hasErrors {
            #expect(!Self.positionedErrors(result).isEmpty, "\(entry.name): no positioned error in \(result.diagnostics)")
        }
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
