import Foundation
import Glibc

/// How a finished command ended and what it printed.
struct CommandOutput: Sendable, CustomStringConvertible {
    var argv: [String]
    /// The exit status, or nil when a signal ended the process.
    var exitCode: Int32?
    /// The signal that ended the process, if one did.
    var signal: Int32?
    var standardOutput: String
    var standardError: String

    var succeeded: Bool { exitCode == 0 }

    var description: String {
        let how = exitCode.map { "exit \($0)" } ?? "signal \(signal ?? 0)"
        return "`\(argv.joined(separator: " "))` → \(how)\n--- stdout ---\n\(standardOutput)\n--- stderr ---\n\(standardError)"
    }
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A process started from an argv array (never through a shell), its
/// stdout and stderr going to files so that a test can read them while it
/// runs (e.g. `--events json` line by line) and after it ends.
final class LaunchedCommand: @unchecked Sendable {
    let argv: [String]
    let standardOutputPath: String
    let standardErrorPath: String
    private let process: Process
    private let removeOutputFiles: Bool

    /// Starts `argv[0]` (an absolute path) with `argv[1...]`.
    /// - Parameter outputPrefix: `<prefix>.stdout` / `<prefix>.stderr` keep the
    ///   output; nil writes them to temporary files removed after `wait`.
    init(_ argv: [String], environment: [String: String], directory: String? = nil, outputPrefix: String? = nil) throws {
        guard let executable = argv.first, executable.hasPrefix("/") else {
            throw CommandError("commands need an absolute executable path: \(argv)")
        }
        self.argv = argv
        let prefix = outputPrefix ?? (NSTemporaryDirectory() + "crplan-e2e-cmd-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        removeOutputFiles = outputPrefix == nil
        standardOutputPath = prefix + ".stdout"
        standardErrorPath = prefix + ".stderr"
        guard FileManager.default.createFile(atPath: standardOutputPath, contents: nil),
            FileManager.default.createFile(atPath: standardErrorPath, contents: nil),
            let out = FileHandle(forWritingAtPath: standardOutputPath),
            let err = FileHandle(forWritingAtPath: standardErrorPath)
        else {
            throw CommandError("cannot create output files \(prefix).stdout/.stderr")
        }
        defer {
            try? out.close()
            try? err.close()
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// What the process printed on stdout so far.
    func standardOutput() -> String { Self.read(standardOutputPath) }
    func standardError() -> String { Self.read(standardErrorPath) }

    /// Complete stdout lines printed so far.
    func standardOutputLines() -> [String] {
        var text = standardOutput()
        if let last = text.lastIndex(of: "\n") {
            text = String(text[..<last])
        } else {
            return []
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Waits for the first complete stdout line satisfying `predicate`
    /// (nil if the process ended or the time ran out first).
    func waitForOutputLine(timeout: Duration, where predicate: (String) -> Bool) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = standardOutputLines().first(where: predicate) { return line }
            if !process.isRunning {
                return standardOutputLines().first(where: predicate)
            }
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the end; on timeout kills it (SIGKILL) and throws.
    func wait(timeout: Duration) async throws -> CommandOutput {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill(process.processIdentifier, SIGKILL)
                while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
                throw CommandError("`\(argv.joined(separator: " "))` did not finish within \(timeout); killed. stdout:\n\(standardOutput())\nstderr:\n\(standardError())")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let signaled = process.terminationReason == .uncaughtSignal
        let output = CommandOutput(
            argv: argv,
            exitCode: signaled ? nil : process.terminationStatus,
            signal: signaled ? process.terminationStatus : nil,
            standardOutput: standardOutput(), standardError: standardError())
        if removeOutputFiles {
            try? FileManager.default.removeItem(atPath: standardOutputPath)
            try? FileManager.default.removeItem(atPath: standardErrorPath)
        }
        return output
    }

    private static func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

enum Command {
    /// Runs `argv` to its end.
    static func run(
        _ argv: [String], environment: [String: String], directory: String? = nil,
        outputPrefix: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> CommandOutput {
        let launched = try LaunchedCommand(argv, environment: environment, directory: directory, outputPrefix: outputPrefix)
        return try await launched.wait(timeout: timeout)
    }
}

/// Polls `condition` every `interval` until it holds or `timeout` passes.
/// Returns whether it held.
@discardableResult
func eventually(
    timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}
