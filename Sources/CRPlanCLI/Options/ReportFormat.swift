import ArgumentParser

/// `--format` of the commands that show a report (`status`, `show`): text
/// for people, json (the report's Codable form) for scripts.
enum ReportFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
}
