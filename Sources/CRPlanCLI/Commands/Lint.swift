import ArgumentParser
import CRPlanCore

extension CRPlan {
    /// `crplan lint PATH...`: reports every problem of every plan file.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check plan files and report every problem with its line and column.",
            discussion: """
                Folders are searched recursively for *.yaml and *.yml files (sorted; hidden \
                files and folders are skipped, links to folders are not followed). Only \
                regular files of at most 1 MiB are read. Files are linted in parallel; \
                output keeps the order of the files. Environment variables the plans use \
                (${env.NAME}) are read now, as `crplan plan` reads them, so a plan that \
                lints clean here also compiles here.

                Exit status:
                  0  no errors (warnings are allowed unless --strict)
                  1  at least one plan has errors
                  2  a usage error, or a path that could not be read (wins over 1;
                     the readable files are still linted and reported)
                """
        )

        @ArgumentParser.Argument(help: "Plan files, or folders to search for plans; `-` reads one plan from standard input.", completion: .file(extensions: ["yaml", "yml"]))
        var paths: [String] = []

        @Option(help: "Output format: text (file:line:column lines), json (one array), github (workflow annotations), sarif (SARIF 2.1.0, for code scanning).")
        var format: DiagnosticFormat = .text

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        func validate() throws {
            if paths.isEmpty {
                throw ValidationError("Give at least one plan file or folder.")
            }
        }

        func run() throws {
            let found = PlanFiles.discover(paths)
            let outcomes = ParallelLinter.lint(found)
            var diagnostics: [Diagnostic] = []
            var unreadable = false
            for outcome in outcomes {
                if !outcome.readable { unreadable = true }
                diagnostics += outcome.diagnostics
            }
            if strict {
                for index in diagnostics.indices { diagnostics[index].severity = .error }
            }
            let reporter = format.reporter(colored: format == .text && Console.standardOutputWantsColor)
            Console.write(reporter.render(diagnostics))

            let errors = diagnostics.count { $0.severity == .error }
            let warnings = diagnostics.count - errors
            if format == .text {
                Console.writeError(Self.summary(files: found.count, errors: errors, warnings: warnings) + "\n")
            }
            if unreadable { throw ExitCode(CLIExitCode.usageOrIOError) }
            if errors > 0 { throw ExitCode(CLIExitCode.failure) }
        }

        /// "3 files, 2 errors, 1 warning".
        static func summary(files: Int, errors: Int, warnings: Int) -> String {
            func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
            return [count(files, "file"), count(errors, "error"), count(warnings, "warning")].joined(separator: ", ")
        }
    }
}
