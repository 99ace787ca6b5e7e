import CRPlanCore
import CRPlanHost
import Foundation
import Testing

extension Tag {
    /// Needs the real Docker daemons of the e2e host (`source /var/lib/crplan-e2e/env`).
    @Tag static var e2e: Self
    /// Needs root (mounts, other processes' /proc entries).
    @Tag static var root: Self
}

/// The e2e host's daemons, from the environment `/var/lib/crplan-e2e/env` sets.
/// Tests tagged `.e2e` are skipped with a reason when `DOCKER_HOST` is unset,
/// and fail (never skip) when `CRPLAN_E2E=1` and a daemon does not answer.
enum E2E {
    static let environment = ProcessInfo.processInfo.environment
    static var required: Bool { environment["CRPLAN_E2E"] == "1" }
    static var configured: Bool { environment["DOCKER_HOST"].map { !$0.isEmpty } ?? false }
    /// For `.enabled(if:)`: run when configured or required.
    static var enabled: Bool { configured || required }
    static let skipReason: Comment =
        "DOCKER_HOST is unset: source /var/lib/crplan-e2e/env to run the e2e tests (CRPLAN_E2E=1 makes them mandatory)"
    static var isRoot: Bool { getuid() == 0 }

    struct Daemon: Sendable {
        var home: String
        var host: String
        var binary: String
        var image: String

        /// The argv crplan's inspect step prints for `reference` on this daemon.
        func inspectArgv(_ reference: String) -> [String] {
            [binary, "-H", host, "inspect", "--type", "container", "--", reference]
        }

        /// Runs the inspect argv through `SystemHost` and decodes it, as the executor does.
        func facts(_ reference: String, dockerHome: String? = nil) async throws -> ContainerFacts {
            let host = SystemHost()
            let result = try await host.run(CommandInvocation(argv: inspectArgv(reference), timeout: .seconds(30)))
            return try await host.containerFacts(fromInspect: result, reference: reference, dockerHome: dockerHome ?? home)
        }

        /// The decoded `docker inspect` of `reference`.
        func inspect(_ reference: String) async throws -> DockerContainerInspect {
            let result = try await CommandRunner().run(HostCommand(argv: inspectArgv(reference), timeout: .seconds(30)))
            return try DockerInspect.decode(
                standardOutput: result.standardOutput.bytes, standardError: result.standardError.text, status: result.status,
                reference: reference)
        }

        /// `docker <args>` against this daemon, failing the test on a non-zero exit.
        @discardableResult
        func docker(_ arguments: [String]) async throws -> String {
            let result = try await CommandRunner().run(HostCommand(
                argv: [binary, "-H", host] + arguments, timeout: .seconds(60)))
            guard result.succeeded else {
                throw E2EFailure("docker \(arguments.joined(separator: " ")) \(result.outcome): \(result.standardError.text)")
            }
            return result.standardOutput.text.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Starts a busybox container (`--network none`) and returns its full id.
        func startContainer(_ name: String, script: String = "while true; do sleep 1; done") async throws -> String {
            try await docker(["run", "-d", "--network", "none", "--name", name, image, "/bin/sh", "-c", script])
        }

        /// Runs `body` with containers it creates through `track`, then
        /// removes them (also when `body` throws).
        func withContainers<T>(_ body: (_ track: (String) -> String) async throws -> T) async throws -> T {
            let created = CreatedContainers()
            do {
                let result = try await body { id in created.ids.append(id); return id }
                await remove(created.ids)
                return result
            } catch {
                await remove(created.ids)
                throw error
            }
        }

        /// Removes containers this test created (by id), ignoring errors.
        func remove(_ ids: [String]) async {
            guard !ids.isEmpty else { return }
            _ = try? await CommandRunner().run(HostCommand(argv: [binary, "-H", host, "rm", "-f"] + ids, timeout: .seconds(60)))
        }
    }

    /// The overlay2 daemon, or the vfs one. Skips the test when not
    /// configured (unless required) or unreachable (unless required); fails
    /// when required and missing.
    static func daemon(vfs: Bool = false) async throws -> Daemon {
        let hostKey = vfs ? "CRPLAN_VFS_DOCKER_HOST" : "DOCKER_HOST"
        let homeKey = vfs ? "CRPLAN_VFS_DOCKER_HOME" : "DOCKER_HOME"
        guard let host = environment[hostKey], !host.isEmpty, let home = environment[homeKey], !home.isEmpty else {
            if required { throw E2EFailure("CRPLAN_E2E=1 but \(hostKey)/\(homeKey) are not set") }
            try Test.cancel("\(hostKey) is unset: source /var/lib/crplan-e2e/env")
        }
        let binary = environment["DOCKER_BINARY"] ?? "docker"
        let daemon = Daemon(home: home, host: host, binary: binary, image: environment["CRPLAN_E2E_IMAGE"] ?? "busybox")
        let probe = try? await CommandRunner().run(HostCommand(
            argv: [binary, "-H", host, "version", "--format", "{{.Server.Version}}"], timeout: .seconds(20)))
        guard let probe, probe.succeeded else {
            let why = "the Docker daemon at \(host) does not answer (\(probe?.standardError.text ?? "docker did not run")); run scripts/provision"
            if required { throw E2EFailure(why) }
            try Test.cancel(Comment(rawValue: why))
        }
        return daemon
    }

    /// A container name no one else uses.
    static func uniqueName(_ label: String) -> String {
        "crplan-host-test-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// Ids a test created, for cleanup.
final class CreatedContainers: @unchecked Sendable {
    var ids: [String] = []
}

struct E2EFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
