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
    /// status 1 means "a step failed". With `errorsAsJSON` (`plan --format
    /// json`) a plan with lint errors also puts its diagnostics on standard
    /// output, in `crplan lint --format json`'s shape, so a caller that
    /// parses standard output always gets JSON.
    static func compile(
        file: String, environment: [String: String], invalidPlanStatus: Int32 = CLIExitCode.failure,
        errorsAsJSON: Bool = false, allowStandardInput: Bool = false
    ) throws -> StepGraph {
        let result = try lint(file: file, environment: environment, allowStandardInput: allowStandardInput)
        let file = displayName(file, allowStandardInput: allowStandardInput)
        Console.writeError(TextReporter(colored: false).render(result.diagnostics))
        guard let plan = result.plan else {
            if errorsAsJSON { Console.write(JSONReporter().render(result.diagnostics)) }
            throw ExitCode(invalidPlanStatus)
        }
        do {
            return try Planner(environment: environment).compile(plan)
        } catch {
            Console.writeError("\(file): error: \(error.description)\n")
            throw ExitCode(invalidPlanStatus)
        }
    }

    /// Reads `file` the same way `crplan lint` does (regular files only,
    /// size-bounded, bytes as they are) and lints it: the one way every
    /// command reads a plan file, so all give one file the same answer. An
    /// unreadable file is reported and ends the command with exit 2.
    /// With `allowStandardInput` (`lint`, `plan`), `-` reads the plan from
    /// standard input, bounded like a file, and diagnostics name it `<stdin>`.
    static func lint(file path: String, environment: [String: String]?, allowStandardInput: Bool = false) throws -> ValidationResult {
        var buffer: [UInt8] = []
        let file = displayName(path, allowStandardInput: allowStandardInput)
        let read = file == PlanFiles.standardInputName && path == PlanFiles.standardInputArgument
            ? PlanFiles.readStandardInput(into: &buffer) : PlanFiles.read(path, into: &buffer)
        switch read {
        case .success(let count):
            return buffer.withUnsafeBytes {
                Linter.lint(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<count]), file: file, environment: environment)
            }
        case .failure(.tooLarge):
            return ValidationResult(plan: nil, diagnostics: [PlanLimits.fileTooLarge(file: file)])
        case .failure(let error):
            Console.writeError("\(file): error: cannot read the plan: \(error.reason)\n")
            throw ExitCode(CLIExitCode.usageOrIOError)
        }
    }

    /// `<stdin>` for `-` where standard input is allowed, else the path.
    static func displayName(_ path: String, allowStandardInput: Bool) -> String {
        allowStandardInput && path == PlanFiles.standardInputArgument ? PlanFiles.standardInputName : path
    }
}
