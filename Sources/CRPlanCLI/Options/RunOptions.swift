import ArgumentParser
import CRPlanCore

/// Options every command that runs or reads a run shares (`apply`,
/// `resume`, `rollback`, `status`).
struct StateOptions: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Where run folders live (default: $CRPLAN_STATE_DIR, else /var/lib/crplan).", valueName: "dir"))
    var stateDirectory: String?

    func validate() throws {
        if let stateDirectory, !stateDirectory.hasPrefix("/") {
            throw ValidationError("--state-dir must be an absolute path, got `\(stateDirectory)`")
        }
    }

    func resolved(environment: [String: String]) -> String {
        RunFolder.stateDirectory(flag: stateDirectory, environment: environment)
    }
}

/// How a run reports its progress.
enum EventFormat: String, CaseIterable, ExpressibleByArgument {
    /// One line per step with its duration, notes, and a summary.
    case text
    /// One `ExecutionEvent` JSON object per line (for CI), then the report as JSON.
    case json
}

/// Options of the commands that run steps (`apply`, `resume`, `rollback`).
struct RunOptions: ParsableArguments {
    @OptionGroup var state: StateOptions

    @Option(help: "Progress output: text (one line per step) or json (one event per line).")
    var events: EventFormat = .text

    @Flag(name: .shortAndLong, help: "Print each command line as it runs, as docker_cr.sh -v does.")
    var verbose = false
}
