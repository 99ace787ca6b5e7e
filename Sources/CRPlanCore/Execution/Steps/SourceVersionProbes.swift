/// The version probes of an archive's manifest (`docker version`, `uname
/// --kernel-release`, `criu --version` on the source), run by the step
/// before the freeze — check-target (migrate) or check-archive (checkpoint)
/// — and journaled with the facts, so write-archive, inside the frozen
/// window, runs none.
extension StepContext {
    /// Runs the step's version probes (none without `archive`) and journals
    /// the answers as the facts' `sourceVersions`; each is kept only when
    /// its command succeeded and printed one bounded, printable value (else
    /// the manifest leaves it out). Returns the step's `sourceVersions` output.
    func journalSourceVersions(source: String) async throws -> [String: String] {
        let commands = try bound().commands
        let probes: [CommandOutput] = [.engineVersion, .kernelRelease, .criuVersion]
        guard commands.contains(where: { probes.contains($0.output) }) else { return [:] }
        var versions = SourceVersions()
        for (index, command) in commands.enumerated() where probes.contains(command.output) {
            let completed: CommandRun.Completed?
            do {
                completed = try await run(command, index: index)
            } catch let error as JournalError {
                throw error
            } catch {
                continue  // a probe that cannot start (no such program) leaves its version out
            }
            guard let completed, completed.result.status.isSuccess, !completed.result.standardOutputTruncated else { continue }
            let output = completed.result.standardOutput
            switch command.output {
            case .engineVersion: versions.engine = SourceVersions.firstLine(of: output)
            case .kernelRelease: versions.kernel = SourceVersions.firstLine(of: output)
            case .criuVersion: versions.criu = SourceVersions.criuVersion(of: output)
            default: break
            }
        }
        try await rebindFacts(source: source) { $0.sourceVersions = versions }
        return ["sourceVersions": [versions.engine, versions.kernel, versions.criu].map { $0 ?? "?" }.joined(separator: " / ")]
    }
}
