import ArgumentParser
import CRPlanCore
import CRPlanHost
import Foundation

/// What `apply`, `resume` and `rollback` share: compile the plan, build the
/// executor on the real host, run, print the report, exit with its status.
enum RunDriver {
    enum Action {
        case apply
        case resume
        case rollback
    }

    static func run(
        _ action: Action, file: String, options: RunOptions,
        rollbackOnFailure: Bool = true, keepExistingCheckpoint: Bool = false, forceChangedPlan: Bool = false
    ) async throws {
        let host = SystemHost()
        let graph = try PlanLoader.compile(
            file: file, environment: host.environment, invalidPlanStatus: CLIExitCode.usageOrIOError)
        var executorOptions = ExecutorOptions(
            stateDirectory: options.state.resolved(environment: host.environment),
            rollbackOnFailure: rollbackOnFailure,
            keepExistingCheckpoint: keepExistingCheckpoint,
            crplanVersion: CRPlan.configuration.version
        )
        executorOptions.forceChangedPlan = forceChangedPlan
        let printer = ProgressPrinter(format: options.events, verbose: options.verbose, file: file, environment: host.environment)
        // The target side runs over ssh when the plan has `target.ssh` (RemoteHost over this host).
        let hosts = EngineHosts(source: host, target: graph.targetHost(over: host))
        let executor = Executor(hosts: hosts, options: executorOptions, observer: printer)
        let report: RunReport
        do {
            switch action {
            case .apply: report = try await executor.apply(graph)
            case .resume: report = try await executor.resume(graph)
            case .rollback: report = try await executor.rollback(graph)
            }
        } catch {
            Console.writeError("crplan: error: \(error.description)\n")
            for line in NextCommands.lines(error.next, file: file, indent: "  ") {
                Console.writeError(line + "\n")
            }
            throw ExitCode(error.exitCode)
        }
        if action != .rollback, options.events == .text {
            let summary = CheckpointRunSummary(run: report.run).line
            if !summary.isEmpty { Console.write("crplan: \(summary)\n") }
        }
        printSummary(report, format: options.events, file: file)
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// The events already showed the failure and every note; the summary on
    /// standard error says in one line how the run ended and where to look.
    static func printSummary(_ report: RunReport, format: EventFormat, file: String) {
        guard format == .text, report.outcome != .succeeded else { return }
        var line = "crplan: \(report.command.rawValue) of \(file) ended \(report.outcome.rawValue)"
        if let step = report.failedStep { line += " at step \(step.rawValue)" }
        line += "; the notes above say what is left, `crplan status \(file)` shows the run"
        Console.writeError(line + "\n")
    }
}

