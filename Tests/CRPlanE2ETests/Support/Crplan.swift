import CRPlanCore
import Foundation

/// Runs the built `crplan` as an operator would, bound to one test's
/// workspace: its own `--state-dir`, its output kept under `logs/`.
struct Crplan: Sendable {
    let binary: String
    let environment: [String: String]
    let workspace: Workspace

    /// `--state-dir` of every run.
    var stateDirectory: String { workspace.path + "/state" }

    /// The run folder crplan keeps for `plan`.
    func runFolder(_ plan: PlanSpec) -> String { stateDirectory + "/runs/" + plan.name }

    /// `crplan <arguments>` to its end. `failpoint` sets `CRPLAN_FAILPOINT`.
    func run(_ arguments: [String], failpoint: String? = nil, timeout: Duration = .seconds(120)) async throws -> CommandOutput {
        try await launch(arguments, failpoint: failpoint).wait(timeout: timeout)
    }

    /// Starts `crplan <arguments>` and returns at once.
    func launch(_ arguments: [String], failpoint: String? = nil) throws -> LaunchedCommand {
        var environment = environment
        if let failpoint { environment["CRPLAN_FAILPOINT"] = failpoint }
        let label = arguments.first ?? "crplan"
        return try LaunchedCommand(
            [binary] + arguments, environment: environment, directory: workspace.path,
            outputPrefix: workspace.nextLogPrefix(label))
    }

    func apply(_ plan: PlanSpec, _ extra: [String] = [], failpoint: String? = nil) async throws -> CommandOutput {
        try await run(["apply", try workspace.write(plan), "--state-dir", stateDirectory, "--events", "json"] + extra, failpoint: failpoint)
    }

    func resume(_ plan: PlanSpec) async throws -> CommandOutput {
        try await run(["resume", try workspace.write(plan), "--state-dir", stateDirectory, "--events", "json"])
    }

    func rollback(_ plan: PlanSpec) async throws -> CommandOutput {
        try await run(["rollback", try workspace.write(plan), "--state-dir", stateDirectory, "--events", "json"])
    }

    /// `crplan status PLAN --format json`, decoded as crplan's own `RunStatus`.
    func status(_ plan: PlanSpec) async throws -> RunStatus {
        let output = try await run(["status", try workspace.write(plan), "--state-dir", stateDirectory, "--format", "json"])
        guard output.exitCode == 0 else { throw CommandError("crplan status failed: \(output)") }
        do {
            return try JSONDecoder().decode(RunStatus.self, from: Data(output.standardOutput.utf8))
        } catch {
            throw CommandError("crplan status --format json is not a RunStatus (\(error)):\n\(output.standardOutput)")
        }
    }

    /// The `--events json` lines of a run, decoded (lines that are not events are an error).
    static func events(_ output: CommandOutput) throws -> [ExecutionEvent] {
        try events(output.standardOutput)
    }

    static func events(_ text: String) throws -> [ExecutionEvent] {
        try text.split(separator: "\n").map { line in
            do {
                return try JSONDecoder().decode(ExecutionEvent.self, from: Data(line.utf8))
            } catch {
                throw CommandError("not an ExecutionEvent line (\(error)): \(line)")
            }
        }
    }

    /// The journal of the plan's latest run, for failure messages.
    func journal(_ plan: PlanSpec) -> String {
        Proc.read(runFolder(plan) + "/journal.jsonl") ?? "(no journal)"
    }
}

/// A test's scratch directory: plan files, the state dir, image dirs,
/// pidfiles and the output of every command it ran. Removed at the end
/// unless `CRPLAN_E2E_KEEP=1`.
final class Workspace: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var counter = 0

    init(label: String) throws {
        var template = Array((NSTemporaryDirectory() + "crplan-e2e-\(label)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard let made else { throw CommandError("mkdtemp failed for \(label)") }
        path = String(cString: made)
        try FileManager.default.createDirectory(atPath: path + "/logs", withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `plan` to `<name>.yaml` and returns the path.
    func write(_ plan: PlanSpec) throws -> String {
        let planPath = file(plan.name + ".yaml")
        try plan.yaml.write(toFile: planPath, atomically: true, encoding: .utf8)
        return planPath
    }

    /// `logs/<nn>-<label>`: one prefix per command, in run order.
    func nextLogPrefix(_ label: String) -> String {
        let number = lock.withLock {
            counter += 1
            return counter
        }
        return path + "/logs/" + String(format: "%02d", number) + "-" + label
    }

    func remove() {
        if ProcessInfo.processInfo.environment["CRPLAN_E2E_KEEP"] == "1" { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
