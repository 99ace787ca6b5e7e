import CRPlanCore
import Foundation

/// The part of `docker inspect --type container` output crplan relies on,
/// decoded from JSON (never scraped from text). Field names are Docker's.
public struct DockerContainerInspect: Sendable, Hashable, Decodable {
    /// Full 64-hex id.
    public var id: String
    /// Docker's name, with its leading `/`.
    public var name: String
    public var state: State
    public var graphDriver: GraphDriver
    public var hostnamePath: String
    public var hostsPath: String
    public var resolvConfPath: String
    /// The container's init program and its arguments.
    public var path: String
    public var args: [String]
    public var config: Config?
    /// Volumes and bind mounts (`docker run -v`); each is another mount CRIU would need to know about.
    public var mounts: [Mount]

    public struct State: Sendable, Hashable, Decodable {
        /// `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`.
        public var status: String
        public var running: Bool
        public var paused: Bool
        /// The init's host pid; 0 when not running.
        public var pid: Int
        public var exitCode: Int

        enum CodingKeys: String, CodingKey {
            case status = "Status", running = "Running", paused = "Paused", pid = "Pid", exitCode = "ExitCode"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(String.self, forKey: .status)
            running = try container.decode(Bool.self, forKey: .running)
            paused = try container.decodeIfPresent(Bool.self, forKey: .paused) ?? false
            pid = try container.decode(Int.self, forKey: .pid)
            exitCode = try container.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
        }
    }

    public struct GraphDriver: Sendable, Hashable, Decodable {
        /// `overlay2`, `overlay`, `aufs`, `vfs`, ...
        public var name: String
        /// LowerDir/UpperDir/WorkDir/MergedDir for overlay; `null` for vfs.
        public var data: [String: String]?

        enum CodingKeys: String, CodingKey { case name = "Name", data = "Data" }
    }

    public struct Config: Sendable, Hashable, Decodable {
        public var cmd: [String]?
        public var entrypoint: [String]?

        enum CodingKeys: String, CodingKey { case cmd = "Cmd", entrypoint = "Entrypoint" }
    }

    public struct Mount: Sendable, Hashable, Decodable {
        /// `bind`, `volume`, `tmpfs`, ...
        public var type: String
        public var source: String
        public var destination: String

        enum CodingKeys: String, CodingKey { case type = "Type", source = "Source", destination = "Destination" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
            source = try container.decodeIfPresent(String.self, forKey: .source) ?? ""
            destination = try container.decode(String.self, forKey: .destination)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", state = "State", graphDriver = "GraphDriver"
        case hostnamePath = "HostnamePath", hostsPath = "HostsPath", resolvConfPath = "ResolvConfPath"
        case path = "Path", args = "Args", config = "Config", mounts = "Mounts"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        state = try container.decode(State.self, forKey: .state)
        graphDriver = try container.decode(GraphDriver.self, forKey: .graphDriver)
        // Empty for a container that never started.
        hostnamePath = try container.decodeIfPresent(String.self, forKey: .hostnamePath) ?? ""
        hostsPath = try container.decodeIfPresent(String.self, forKey: .hostsPath) ?? ""
        resolvConfPath = try container.decodeIfPresent(String.self, forKey: .resolvConfPath) ?? ""
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        args = try container.decodeIfPresent([String].self, forKey: .args) ?? []
        config = try container.decodeIfPresent(Config.self, forKey: .config)
        mounts = try container.decodeIfPresent([Mount].self, forKey: .mounts) ?? []
    }

    /// The name without Docker's leading `/`.
    public var plainName: String {
        name.hasPrefix("/") ? String(name.dropFirst()) : name
    }

    /// The init's command line as Docker started it (`Path` + `Args`), to
    /// compare with `/proc/<pid>/cmdline`.
    public var commandLine: [String] {
        path.isEmpty ? args : [path] + args
    }
}

/// Runs nothing itself: builds the `docker inspect` argv and turns its
/// output (stdout JSON, stderr, exit status) into one container or a clear
/// error, so the command can go through `CommandRunner` and its logs.
public enum DockerInspect {
    /// `docker [-H host] inspect --type container -- <reference>`; `--` keeps
    /// a reference from ever being read as an option.
    public static func argv(docker: String, host: String? = nil, reference: String) -> [String] {
        [docker] + (host.map { ["-H", $0] } ?? []) + ["inspect", "--type", "container", "--", reference]
    }

    /// Decodes `docker inspect` output for `reference`.
    /// Exit 1 with "No such container" (or an empty array) is `notFound`;
    /// "Multiple IDs found" or more than one object is `ambiguous`.
    public static func decode(
        standardOutput: [UInt8], standardError: String, status: TerminationStatus, reference: String
    ) throws(DockerInspectError) -> DockerContainerInspect {
        let message = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.contains("Multiple IDs found") { throw .ambiguous(reference: reference, candidates: []) }
        let containers: [DockerContainerInspect]
        do {
            containers = try JSONDecoder().decode([DockerContainerInspect].self, from: Data(standardOutput))
        } catch {
            if message.contains("No such container") || message.contains("No such object") {
                throw .notFound(reference: reference)
            }
            if status != .exited(0) { throw .failed(reference: reference, status: status, message: message) }
            throw .malformed(reference: reference, reason: describe(error))
        }
        switch containers.count {
        case 0:
            if status != .exited(0), !message.isEmpty, !message.contains("No such") {
                throw .failed(reference: reference, status: status, message: message)
            }
            throw .notFound(reference: reference)
        case 1:
            guard status == .exited(0) else { throw .failed(reference: reference, status: status, message: message) }
            return containers[0]
        default:
            throw .ambiguous(reference: reference, candidates: containers.map(\.id))
        }
    }


    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "unexpected value at \(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            "not JSON: \(context.debugDescription)"
        default:
            String(describing: error)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}

/// Why `docker inspect` gave no single container.
public enum DockerInspectError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(reference: String)
    /// A prefix (or name) that matches several containers; `candidates` lists them when known.
    case ambiguous(reference: String, candidates: [String])
    /// Docker failed for another reason (daemon down, permission, ...).
    case failed(reference: String, status: TerminationStatus, message: String)
    /// The output is not the JSON crplan expects.
    case malformed(reference: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let reference):
            "Docker knows no container `\(reference)`"
        case .ambiguous(let reference, let candidates):
            "`\(reference)` matches several containers"
                + (candidates.isEmpty ? "" : " (\(candidates.joined(separator: ", ")))") + "; use the full id"
        case .failed(let reference, let status, let message):
            "docker inspect \(reference) \(status.ended): \(message.isEmpty ? "no message" : message)"
        case .malformed(let reference, let reason):
            "cannot read docker inspect output for \(reference): \(reason)"
        }
    }
}
