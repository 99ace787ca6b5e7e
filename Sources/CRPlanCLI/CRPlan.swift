import ArgumentParser
import Foundation

/// The `crplan` command: lints, compiles and runs checkpoint plans for
/// Docker containers. Each subcommand lives in `Commands/`.
@main
struct CRPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crplan",
        abstract: "Lint, compile and run declarative checkpoint/restore plans for Docker containers.",
        version: "0.1.0",
        subcommands: [
            Init.self,
            Lint.self,
            PlanCommand.self,
            Apply.self,
            Resume.self,
            Rollback.self,
            Status.self,
            Export.self,
            Import.self,
            Show.self,
        ]
    )

    /// Like ArgumentParser's `main()`, except that usage errors exit with
    /// status 2, as every crplan command documents.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(CLIExitCode.usageOrIOError)
            }
            exit(withError: error)
        }
    }
}

/// The exit codes every crplan command shares (the executor's own, 3 and 4,
/// come from `ExecutorError.exitCode` and `RunReport.exitCode`).
enum CLIExitCode {
    /// The plan has errors (lint), or the run failed.
    static let failure: Int32 = 1
    /// Bad command line, or a file that could not be read.
    static let usageOrIOError: Int32 = 2
}
