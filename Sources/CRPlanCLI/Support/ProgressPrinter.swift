#if canImport(Glibc)
import Glibc
#endif
import CRPlanCore
import Foundation

/// Prints a run's events as they happen: one line per step with its
/// duration (text), or one JSON object per line (`--events json`).
///
/// It also honours `CRPLAN_FAILPOINT=<event-kind>:<step>`, the crash
/// injection the end-to-end tests use: right after printing that event
/// (the journal already holds the matching record) crplan kills itself
/// with SIGKILL, exactly as an operator's `kill -9` or a power loss would.
final class ProgressPrinter: ExecutionObserver, @unchecked Sendable {
    private let format: EventFormat
    private let verbose: Bool
    private let failpoint: (kind: String, step: String)?
    private let encoder: JSONEncoder
    private let lock = NSLock()

    init(format: EventFormat, verbose: Bool, environment: [String: String]) {
        self.format = format
        self.verbose = verbose
        if let spec = environment["CRPLAN_FAILPOINT"], let colon = spec.firstIndex(of: ":") {
            failpoint = (String(spec[..<colon]), String(spec[spec.index(after: colon)...]))
        } else {
            failpoint = nil
        }
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    func handle(_ event: ExecutionEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch format {
        case .json:
            if let data = try? encoder.encode(event) {
                Console.write(String(decoding: data, as: UTF8.self) + "\n")
            }
        case .text:
            if let line = Self.line(for: event, verbose: verbose) {
                Console.write(line + "\n")
            }
        }
        if let failpoint, failpoint.kind == event.kind.rawValue, failpoint.step == event.step?.rawValue {
            Console.writeError("crplan: CRPLAN_FAILPOINT \(failpoint.kind):\(failpoint.step) reached, killing myself\n")
            kill(getpid(), SIGKILL)
        }
    }

    static func line(for event: ExecutionEvent, verbose: Bool) -> String? {
        let step = event.step?.rawValue ?? ""
        let padded = step.padding(toLength: 22, withPad: " ", startingAt: 0)
        switch event.kind {
        case .runStarted:
            return "crplan: run \(event.runID) of plan \(event.planName)"
        case .runResumed:
            return "crplan: resuming run \(event.runID) of plan \(event.planName)"
        case .stepStarted, .commandFinished:
            return nil
        case .commandStarted:
            return verbose ? "      $ \(event.message ?? "")" : nil
        case .stepFinished:
            return "  ok   \(padded) \(Self.duration(event.durationMilliseconds))"
        case .stepSkipped:
            return "  skip \(padded) \(event.message ?? "")"
        case .stepFailed:
            return "  FAIL \(padded) \(Self.duration(event.durationMilliseconds))\n       \(event.message ?? "")"
        case .rollbackStarted:
            return "crplan: rolling back"
        case .stepRolledBack:
            return "  undo \(padded) \(event.message ?? "")"
        case .rollbackFailed:
            return "  UNDO FAILED \(step): \(event.message ?? "")"
        case .note:
            return "  note \(step.isEmpty ? "" : step + ": ")\(event.message ?? "")"
        case .runFinished:
            return "crplan: \(event.outcome ?? "finished")"
        }
    }

    static func duration(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "" }
        return milliseconds < 1000 ? "\(milliseconds) ms" : String(format: "%.2f s", Double(milliseconds) / 1000)
    }
}
