/// Programs connected by pipes, each stage's standard output feeding the
/// next one's standard input, e.g. `tar -c … | zstd | ssh … 'tar -x …'`.
/// Pure data: no shell is involved anywhere; CRPlanHost's `PipelineRunner`
/// runs it with real pipes, kills every stage on timeout and reports each
/// stage's exit status.
public struct CommandPipeline: Sendable, Hashable, Codable {
    /// At least one stage, at most `maximumStages`.
    public let stages: [PipelineStage]
    /// What the first stage reads; `.null` is `/dev/null`.
    public var input: PipelineInput
    /// Where the last stage writes.
    public var output: PipelineOutput
    /// Limit for the whole pipeline, in milliseconds (nil: none). On expiry
    /// every stage gets SIGTERM, then SIGKILL after the grace period.
    public var timeoutMilliseconds: Int?

    public static let maximumStages = 8

    public init(
        stages: [PipelineStage], input: PipelineInput = .null, output: PipelineOutput = .capture(limit: 1 << 20),
        timeoutMilliseconds: Int? = nil
    ) throws(PipelineError) {
        guard !stages.isEmpty else { throw .noStages }
        guard stages.count <= Self.maximumStages else { throw .tooManyStages(stages.count, limit: Self.maximumStages) }
        for (index, stage) in stages.enumerated() where stage.argv.first.map({ $0.isEmpty }) ?? true {
            throw .emptyStage(index: index)
        }
        for (index, stage) in stages.enumerated() where stage.argv.contains(where: { $0.utf8.contains(0) }) {
            throw .nulByte(index: index)
        }
        if case .file(let path) = input, !path.hasPrefix("/") { throw .relativePath(path) }
        if case .file(let path, _) = output, !path.hasPrefix("/") { throw .relativePath(path) }
        self.stages = stages
        self.input = input
        self.output = output
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// The pipeline as a line for messages and dry runs (`a 'b c' | d`).
    public var displayLine: String {
        stages.map { stage in stage.argv.map(Self.displayQuote).joined(separator: " ") }.joined(separator: " | ")
    }

    static func displayQuote(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
            SSHTarget.isLetter($0) || SSHTarget.isDigit($0) || "-_./:=,+@%".unicodeScalars.contains($0)
        }
        return plain ? argument : ((try? RemoteShellQuoting.quote(argument)) ?? "'?'")
    }
}

/// One program of a pipeline. It runs in crplan's working directory: give
/// folders as arguments (`tar -C DIR`).
public struct PipelineStage: Sendable, Hashable, Codable {
    /// `argv[0]` absolute or a bare name looked up in `PATH`.
    public var argv: [String]

    public init(_ argv: [String]) {
        self.argv = argv
    }

    /// The stage that runs `argv` on `target` through ssh.
    public static func remote(_ argv: [String], on target: SSHTarget, ssh: String = "ssh") throws(SSHTargetError) -> PipelineStage {
        PipelineStage(try target.argv(running: argv, ssh: ssh))
    }
}

/// The first stage's standard input.
public enum PipelineInput: Sendable, Hashable, Codable {
    case null
    /// An existing file, opened read-only without following a symlink.
    case file(String)
}

/// The last stage's standard output.
public enum PipelineOutput: Sendable, Hashable, Codable {
    case null
    /// Kept in memory, the first `limit` bytes (the rest is counted).
    case capture(limit: Int)
    /// Written to a file (0600, never through a symlink); `replace`
    /// truncates an existing one, else an existing file is an error.
    case file(String, replace: Bool)
}

/// Why a pipeline description is refused.
public enum PipelineError: Error, Sendable, Hashable, CustomStringConvertible {
    case noStages
    case tooManyStages(Int, limit: Int)
    case emptyStage(index: Int)
    case nulByte(index: Int)
    case relativePath(String)

    public var description: String {
        switch self {
        case .noStages: "a pipeline needs at least one program"
        case .tooManyStages(let count, let limit): "a pipeline of \(count) programs is too long; at most \(limit)"
        case .emptyStage(let index): "pipeline stage \(index + 1) has no program"
        case .nulByte(let index): "pipeline stage \(index + 1) has an argument with a NUL byte"
        case .relativePath(let path): "pipeline file \"\(path)\" must be an absolute path"
        }
    }
}
