/// Renders diagnostics in one output format (`text`, `json`, `github`).
///
/// One small protocol with one type per format, so the CLI picks a format
/// without knowing how any of them is written.
public protocol DiagnosticReporter: Sendable {
    /// The output for `diagnostics`; empty for none, else ending with a newline.
    func render(_ diagnostics: [Diagnostic]) -> String
}
