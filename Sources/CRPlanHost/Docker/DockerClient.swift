import CRPlanCore

/// `docker inspect` run for real: the argv goes through `CommandRunner`
/// (with a timeout and, if given, log files), the JSON is decoded by
/// `DockerInspect`, and `ContainerFactsReader` completes the facts from
/// procfs. An ambiguous prefix is answered with the matching containers.
public struct DockerClient: Sendable {
    /// The docker CLI (bare name looked up in PATH, or absolute).
    public var binary: String
    /// `-H` for every command; nil leaves `DOCKER_HOST` / docker's default.
    public var host: String?
    /// Docker's data root.
    public var home: String
    public var runner: CommandRunner
    public var timeout: Duration
    /// The most of a docker command's output crplan reads (one container's
    /// inspect JSON is tens of KiB); more is refused as malformed, never parsed.
    public static let maximumOutputBytes = 4 << 20

    public init(
        binary: String = "docker", host: String? = nil, home: String, runner: CommandRunner = CommandRunner(),
        timeout: Duration = .seconds(60)
    ) {
        self.binary = binary
        self.host = host
        self.home = home
        self.runner = runner
        self.timeout = timeout
    }

    /// The decoded `docker inspect` of one container.
    public func inspect(
        _ reference: String, standardOutputLog: String? = nil, standardErrorLog: String? = nil
    ) async throws(DockerClientError) -> DockerContainerInspect {
        let result = try await run(
            DockerInspect.argv(docker: binary, host: host, reference: reference),
            standardOutputLog: standardOutputLog, standardErrorLog: standardErrorLog)
        guard !result.standardOutput.isTruncated else {
            throw .inspect(.malformed(reference: reference, reason: "output larger than \(result.standardOutput.bytes.count) bytes"))
        }
        do {
            return try DockerInspect.decode(
                standardOutput: result.standardOutput.bytes, standardError: result.standardError.text,
                status: result.status, reference: reference)
        } catch {
            if case .ambiguous(_, let known) = error, known.isEmpty {
                throw .inspect(.ambiguous(reference: reference, candidates: await candidates(prefix: reference)))
            }
            throw .inspect(error)
        }
    }

    /// The facts of one container: inspect, then root and cgroup mounts from procfs.
    public func facts(
        _ reference: String, standardOutputLog: String? = nil, standardErrorLog: String? = nil,
        procRoot: String = "/proc"
    ) async throws(DockerClientError) -> ContainerFacts {
        let inspect = try await inspect(reference, standardOutputLog: standardOutputLog, standardErrorLog: standardErrorLog)
        do {
            return try ContainerFactsReader(dockerHome: home, procRoot: procRoot).read(inspect)
        } catch {
            throw .facts(error)
        }
    }

    /// Containers whose id starts with `prefix` ("id (name)"); empty if the list cannot be had.
    public func candidates(prefix: String) async -> [String] {
        guard let result = try? await run(DockerInspect.listArgv(docker: binary, host: host)), result.succeeded else {
            return []
        }
        return DockerInspect.candidates(fromList: result.standardOutput.text, prefix: prefix)
    }

    func run(
        _ argv: [String], standardOutputLog: String? = nil, standardErrorLog: String? = nil
    ) async throws(DockerClientError) -> HostCommandResult {
        let result: HostCommandResult
        do {
            result = try await runner.run(HostCommand(
                argv: argv, timeout: timeout, standardOutputLog: standardOutputLog, standardErrorLog: standardErrorLog,
                standardOutputCapture: .head(Self.maximumOutputBytes), standardErrorCapture: .tail(64 << 10)))
        } catch {
            throw .command(error)
        }
        if result.timedOut { throw .timedOut(argv: argv, after: timeout) }
        return result
    }
}

/// Why Docker could not tell crplan about a container.
public enum DockerClientError: Error, Sendable, Hashable, CustomStringConvertible {
    case command(CommandError)
    case timedOut(argv: [String], after: Duration)
    case inspect(DockerInspectError)
    case facts(ContainerFactsError)

    public var description: String {
        switch self {
        case .command(let error): error.description
        case .timedOut(let argv, let after): "`\(HostCommand(argv: argv).displayLine)` did not answer within \(after)"
        case .inspect(let error): error.description
        case .facts(let error): error.description
        }
    }
}
