import Foundation

/// A docker client bound to one daemon of the e2e host (`-H <socket>`),
/// with the daemon's data root (`docker.home` in plans).
struct DockerDaemon: Sendable {
    let binary: String
    let host: String
    let home: String
    let environment: [String: String]

    /// `docker -H <host> <arguments>`; throws on a non-zero exit.
    @discardableResult
    func run(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> String {
        let output = try await Command.run([binary, "-H", host] + arguments, environment: environment, timeout: timeout)
        guard output.succeeded else { throw CommandError("docker failed: \(output)") }
        return output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `docker inspect` of one container, decoded.
    func inspect(_ container: String) async throws -> ContainerInspect {
        let text = try await run(["inspect", "--type", "container", container])
        let list = try JSONDecoder().decode([ContainerInspect].self, from: Data(text.utf8))
        guard let first = list.first else { throw CommandError("docker inspect \(container): empty answer") }
        return first
    }

    /// Docker's `State.Status` (`running`, `exited`, ...).
    func status(_ container: String) async throws -> String {
        try await inspect(container).state.status
    }

    /// `docker ps` lines (`ID STATUS`) of running containers with this id.
    func psStatus(_ id: String) async throws -> String? {
        let text = try await run(["ps", "--no-trunc", "--filter", "id=\(id)", "--format", "{{.ID}} {{.Status}}"])
        return text.split(separator: "\n").map(String.init).first { $0.hasPrefix(id) }
    }

    /// Nil when the daemon answers `docker version`, else why not (used before any test runs).
    func whyNotAnswering() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-H", host, "version", "--format", "{{.Server.Version}}"]
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "cannot run \(binary): \(error)"
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let said = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
            return said ?? "exit \(process.terminationStatus)"
        }
        return nil
    }
}

/// The parts of `docker inspect` the tests read.
struct ContainerInspect: Decodable, Sendable {
    struct State: Decodable, Sendable {
        var status: String
        var running: Bool
        var pid: Int32
        var exitCode: Int

        enum CodingKeys: String, CodingKey {
            case status = "Status", running = "Running", pid = "Pid", exitCode = "ExitCode"
        }
    }

    struct GraphDriver: Decodable, Sendable {
        var name: String
        var data: [String: String]?

        enum CodingKeys: String, CodingKey { case name = "Name", data = "Data" }
    }

    var id: String
    var name: String
    var state: State
    var graphDriver: GraphDriver

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", state = "State", graphDriver = "GraphDriver"
    }
}
