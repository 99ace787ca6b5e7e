#if canImport(Glibc)
import Glibc
#endif
import CRPlanCore
import CRPlanImages
import Foundation

/// Prints a run's events as they happen: one line per step with its
/// duration (text), or one JSON object per line (`--events json`).
///
/// It also honours `CRPLAN_FAILPOINT=<event-kind>:<step>[:<n>]`, the crash
/// injection the end-to-end tests use: right after printing the n-th such
/// event (default the first; the journal already holds the matching record)
/// crplan kills itself with SIGKILL, exactly as an operator's `kill -9` or a
/// power loss would. `command-finished:rebuild-rootfs:2` stops after the
/// overlay mount, the step's second command (the first is its `mkdir -p`).
final class ProgressPrinter: ExecutionObserver, @unchecked Sendable {
    private let format: EventFormat
    private let verbose: Bool
    private let failpoint: (kind: String, step: String, occurrence: Int)?
    /// Events matching the failpoint seen so far.
    private var failpointHits = 0
    private let encoder: JSONEncoder
    private let lock = NSLock()
    /// The plan file on the command line: notes name it where the executor names the plan.
    private let file: String

    init(format: EventFormat, verbose: Bool, file: String, environment: [String: String]) {
        self.format = format
        self.verbose = verbose
        self.file = file
        failpoint = environment["CRPLAN_FAILPOINT"].flatMap(Self.parseFailpoint)
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
            for line in NextCommands.lines(event.next ?? [], file: file, indent: "       ") {
                Console.write(line + "\n")
            }
        }
        if let failpoint, failpoint.kind == event.kind.rawValue, failpoint.step == event.step?.rawValue {
            failpointHits += 1
            if failpointHits == failpoint.occurrence {
                Console.writeError("crplan: CRPLAN_FAILPOINT \(failpoint.kind):\(failpoint.step):\(failpoint.occurrence) reached, killing myself\n")
                kill(getpid(), SIGKILL)
            }
        }
    }

    /// `<event-kind>:<step>` or `<event-kind>:<step>:<n>` (n ≥ 1); nil otherwise.
    static func parseFailpoint(_ spec: String) -> (kind: String, step: String, occurrence: Int)? {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        guard parts.count == 3 else { return (parts[0], parts[1], 1) }
        guard let occurrence = Int(parts[2]), occurrence >= 1 else { return nil }
        return (parts[0], parts[1], occurrence)
    }

    static func line(for event: ExecutionEvent, verbose: Bool) -> String? {
        let step = event.step?.rawValue ?? ""
        let padded = step.padding(toLength: 22, withPad: " ", startingAt: 0)
        switch event.kind {
        case .runStarted:
            return "crplan: run \(event.runID) of plan \(event.planName)"
        case .runResumed:
            return "crplan: resuming run \(event.runID) of plan \(event.planName)"
        case .stepStarted, .commandFinished, .commandSpawned, .stepRan:
            return nil
        case .commandStarted:
            return verbose ? "      $ \(event.message ?? "")" : nil
        case .stepFinished:
            let measured = event.measurements.map { "  (\($0.summary))" } ?? ""
            return "  ok   \(padded) \(Self.duration(event.durationMilliseconds))\(measured)"
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
