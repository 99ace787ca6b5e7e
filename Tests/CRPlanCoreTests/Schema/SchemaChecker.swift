import Foundation

/// The JSON Schema's verdict on one file, as `scripts/schema-check.py` prints it.
struct SchemaVerdict: Sendable, Decodable {
    struct Failure: Sendable, Decodable, CustomStringConvertible {
        var path: String
        var keyword: String
        var message: String

        var description: String { "\(path.isEmpty ? "/" : path) [\(keyword)] \(message)" }
    }

    var file: String
    /// False when PyYAML could not produce one document: no schema verdict then.
    var loaded: Bool
    var valid: Bool?
    var errors: [Failure]?
    var loadError: String?

    enum CodingKeys: String, CodingKey {
        case file, loaded, valid, errors
        case loadError = "load_error"
    }
}

/// Runs `scripts/schema-check.py` once for the whole corpus (one Python
/// process, Python's `jsonschema` + PyYAML) and keeps the verdicts.
enum SchemaChecker {
    enum Outcome: Sendable {
        /// Verdicts keyed by the path given to the script.
        case verdicts([String: SchemaVerdict])
        /// python3, jsonschema or PyYAML is missing.
        case unavailable(String)
        /// The checker ran but failed; always a test failure.
        case failed(String)
    }

    /// Computed on first use, shared by every test.
    static let outcome: Outcome = run(files: SchemaCorpus.all.map(\.url.path))

    /// The Python to use: `$CRPLAN_PYTHON`, else `python3` from `PATH`.
    static func pythonExecutable() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["CRPLAN_PYTHON"], !explicit.isEmpty { return explicit }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(files: [String]) -> Outcome {
        guard let python = pythonExecutable() else {
            return .unavailable("python3 not found in PATH (set CRPLAN_PYTHON to choose one)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [SchemaCorpus.checkerURL.path, "--schema", SchemaCorpus.schemaURL.path] + files
        let output = Pipe()
        let errorLog = FileManager.default.temporaryDirectory
            .appendingPathComponent("crplan-schema-check-\(ProcessInfo.processInfo.processIdentifier).log")
        guard FileManager.default.createFile(atPath: errorLog.path, contents: nil),
              let errorHandle = try? FileHandle(forWritingTo: errorLog) else {
            return .failed("cannot create \(errorLog.path) for the checker's stderr")
        }
        defer { try? FileManager.default.removeItem(at: errorLog) }
        process.standardOutput = output
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .unavailable("cannot run \(python): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorHandle.close()
        let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        switch process.terminationStatus {
        case 0: break
        case 3: return .unavailable("\(python) lacks jsonschema or PyYAML: \(stderr)")
        default: return .failed("\(python) \(SchemaCorpus.checkerURL.path) exited \(process.terminationStatus): \(stderr)")
        }
        var verdicts: [String: SchemaVerdict] = [:]
        let decoder = JSONDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let verdict = try? decoder.decode(SchemaVerdict.self, from: Data(line)) else {
                return .failed("unreadable checker output: \(String(decoding: line, as: UTF8.self))")
            }
            verdicts[verdict.file] = verdict
        }
        return .verdicts(verdicts)
    }
}
