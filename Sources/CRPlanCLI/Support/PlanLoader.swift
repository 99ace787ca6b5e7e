import ArgumentParser
import CRPlanCore
import Foundation

/// Reads a plan file, lints it and compiles it: the one path from a file on
/// the command line to a `StepGraph`, shared by `plan`, `apply`, `resume` and
/// `rollback`, so that a dry run and a real run can never compile differently.
enum PlanLoader {
    /// Lint diagnostics go to standard error; a plan with errors, or one that
    /// cannot be compiled here, ends the command with `invalidPlanStatus`:
    /// 1 for `plan` (like `lint`), 2 for the commands that run steps, whose
    /// status 1 means "a step failed".
    static func compile(
        file: String, environment: [String: String], invalidPlanStatus: Int32 = CLIExitCode.failure
    ) throws -> StepGraph {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            Console.writeError("\(file): error: cannot read the plan: \(error.localizedDescription)\n")
            throw ExitCode(CLIExitCode.usageOrIOError)
        }
        let result = Linter.lint(text: text, file: file, environment: environment)
        Console.writeError(TextReporter(colored: false).render(result.diagnostics))
        guard let plan = result.plan else { throw ExitCode(invalidPlanStatus) }
        do {
            return try Planner(environment: environment).compile(plan)
        } catch {
            Console.writeError("\(file): error: \(error.description)\n")
            throw ExitCode(invalidPlanStatus)
        }
    }
}
