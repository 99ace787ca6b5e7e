import CRPlanTestSupport
import Foundation

/// The built `crplan` executable, run from an argv array (never a shell)
/// with its output captured in files: the tests in this target check what
/// an operator or CI sees of it, without Docker.
enum CrplanBinary {
    /// `CRPLAN_BINARY_PATH`, else the `crplan` SwiftPM built (`CrplanExecutable`).
    static let path = CrplanExecutable.path(ProcessInfo.processInfo.environment)

    /// `plans/examples`: every example plan, all lint-clean.
    static let examplesDirectory = CrplanExecutable.packageDirectory + "/plans/examples"

    /// The example plan files, sorted.
    static func examplePlans() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: examplesDirectory)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { examplesDirectory + "/" + $0 }
    }

    /// Runs `crplan <arguments>` in `directory` to its end. The environment is
    /// the test's own without `CRPLAN_FAILPOINT` and `CRPLAN_STATE_DIR`.
    /// With `standardInput`, that text is crplan's standard input (from a file); else /dev/null.
    static func run(_ arguments: [String], in directory: ScratchDirectory, standardInput: String? = nil) throws -> CrplanOutput {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "CRPLAN_FAILPOINT")
        environment.removeValue(forKey: "CRPLAN_STATE_DIR")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        if let standardInput {
            let inputPath = directory.file(".crplan.stdin")
            guard FileManager.default.createFile(atPath: inputPath, contents: Data(standardInput.utf8)),
                let input = FileHandle(forReadingAtPath: inputPath)
            else { throw CrplanTestError("cannot create the standard input file in \(directory.path)") }
            process.standardInput = input
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let outputPath = directory.file(".crplan.stdout"), errorPath = directory.file(".crplan.stderr")
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
            FileManager.default.createFile(atPath: errorPath, contents: nil),
            let output = FileHandle(forWritingAtPath: outputPath), let error = FileHandle(forWritingAtPath: errorPath)
        else { throw CrplanTestError("cannot create output files in \(directory.path)") }
        process.standardOutput = output
        process.standardError = error
        do {
            try process.run()
        } catch {
            throw CrplanTestError("cannot run \(path) (run `swift build`, or set CRPLAN_BINARY_PATH): \(error)")
        }
        try? output.close()
        try? error.close()
        process.waitUntilExit()
        return CrplanOutput(
            arguments: arguments,
            exitCode: process.terminationReason == .exit ? process.terminationStatus : nil,
            standardOutput: try String(contentsOfFile: outputPath, encoding: .utf8),
            standardError: try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}

/// How one `crplan` run ended and what it printed.
struct CrplanOutput: CustomStringConvertible {
    var arguments: [String]
    /// Nil when a signal ended it.
    var exitCode: Int32?
    var standardOutput: String
    var standardError: String

    var description: String {
        "`crplan \(arguments.joined(separator: " "))` → \(exitCode.map { "exit \($0)" } ?? "signal")\n"
            + "--- stdout ---\n\(standardOutput)\n--- stderr ---\n\(standardError)"
    }
}

struct CrplanTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh temporary folder for one test, removed at its end.
struct ScratchDirectory {
    let path: String

    init(_ label: String) throws {
        var template = Array((NSTemporaryDirectory() + "crplan-cli-\(label)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard let made else { throw CrplanTestError("mkdtemp failed for \(label)") }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` and returns its path.
    func write(_ text: String, _ name: String) throws -> String {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
        return file(name)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A lint-clean overlay2 roundtrip plan with an image dir under /tmp.
let validPlan = """
    version: 1
    name: cli-check
    container: counter
    storage:
      driver: overlay2
    imageDir: /tmp/crplan-cli/${container.id}

    """
