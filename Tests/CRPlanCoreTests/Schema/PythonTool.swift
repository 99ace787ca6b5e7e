import Foundation

/// Runs a Python test tool (`scripts/sarif-check.py`, `check_jsonschema`)
/// with `SchemaChecker`'s Python. Status 3 from crplan's scripts, or a
/// missing module, means the Python stack is not installed.
struct PythonTool {
    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Nil when python3 cannot be found or started.
    static func run(_ arguments: [String], input: Data = Data()) -> Output? {
        guard let python = SchemaChecker.pythonExecutable() else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let errorLog = FileManager.default.temporaryDirectory
            .appendingPathComponent("crplan-python-tool-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: errorLog.path, contents: nil),
              let errorHandle = try? FileHandle(forWritingTo: errorLog) else { return nil }
        defer { try? FileManager.default.removeItem(at: errorLog) }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = errorHandle
        do {
            try process.run()
        } catch {
            return nil
        }
        // The tools read all of standard input before they write.
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorHandle.close()
        return Output(
            status: process.terminationStatus, standardOutput: String(decoding: data, as: UTF8.self),
            standardError: (try? String(contentsOf: errorLog, encoding: .utf8)) ?? "")
    }

    /// True when the tool ran; false (not installed) only outside CI, where
    /// the test is then skipped; under CI a missing stack fails.
    static func isUsable(_ output: Output?) -> Bool {
        guard let output else { return false }
        return !(output.status == 3 || output.standardError.contains("No module named"))
    }

    static var underCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }
}
