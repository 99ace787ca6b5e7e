import CRPlanCore
import Dispatch
import Foundation

/// Lints many files on every core in one process, keeping input order.
enum ParallelLinter {
    /// What linting one path gave: its diagnostics, and whether it could be read.
    struct Outcome: Sendable {
        var diagnostics: [Diagnostic]
        var readable: Bool
    }

    /// `environment`: what `crplan plan` would substitute; by default this
    /// process's own, so a plan that lints clean here compiles here.
    static func lint(_ found: [PlanFiles.Found], environment: [String: String] = ProcessInfo.processInfo.environment) -> [Outcome] {
        let slots = Slots(count: found.count)
        let chunkSize = 32
        let chunks = (found.count + chunkSize - 1) / chunkSize
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            let end = min(found.count, (chunk + 1) * chunkSize)
            for index in (chunk * chunkSize)..<end {
                slots.set(index, outcome(for: found[index], buffer: &buffer, environment: environment))
            }
        }
        return slots.finish()
    }

    static func outcome(for found: PlanFiles.Found, buffer: inout [UInt8], environment: [String: String]) -> Outcome {
        switch found {
        case .unreadable(let path, let reason):
            return Outcome(diagnostics: [ioError(path, reason)], readable: false)
        case .standardInput:
            return outcome(of: PlanFiles.readStandardInput(into: &buffer), name: PlanFiles.standardInputName, buffer: buffer, environment: environment)
        case .file(let path):
            return outcome(of: PlanFiles.read(path, into: &buffer), name: path, buffer: buffer, environment: environment)
        }
    }

    private static func outcome(
        of read: Result<Int, PlanFiles.ReadError>, name path: String, buffer: [UInt8], environment: [String: String]
    ) -> Outcome {
        switch read {
        case .failure(.tooLarge):
            return Outcome(diagnostics: [PlanLimits.fileTooLarge(file: path)], readable: true)
        case .failure(let error):
            return Outcome(diagnostics: [ioError(path, error.reason)], readable: false)
        case .success(let count):
            let diagnostics = buffer.withUnsafeBytes { bytes in
                Linter.diagnostics(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<count]), file: path, environment: environment)
            }
            return Outcome(diagnostics: diagnostics, readable: true)
        }
    }

    private static func ioError(_ path: String, _ reason: String) -> Diagnostic {
        Diagnostic(file: path, location: nil, severity: .error, rule: .io, message: "cannot read the file: \(reason)")
    }

    /// One result slot per input; each index is written by exactly one
    /// iteration, so no lock is needed.
    private final class Slots: @unchecked Sendable {
        private let buffer: UnsafeMutableBufferPointer<Outcome>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: Outcome(diagnostics: [], readable: true))
        }

        func set(_ index: Int, _ outcome: Outcome) {
            buffer[index] = outcome
        }

        func finish() -> [Outcome] {
            Array(buffer)
        }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }
    }
}
