import ArgumentParser
import CRPlanCore

/// `--format` for commands that report plan diagnostics.
enum DiagnosticFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
    case github
    case sarif

    func reporter(colored: Bool) -> any DiagnosticReporter {
        switch self {
        case .text: TextReporter(colored: colored)
        case .json: JSONReporter()
        case .github: GitHubReporter()
        case .sarif: SARIFReporter(toolVersion: CRPlan.configuration.version)
        }
    }
}
