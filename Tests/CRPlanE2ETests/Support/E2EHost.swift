import CRPlanTestSupport
import Foundation
import Testing

extension Tag {
    /// Runs `crplan` against the real Docker daemons, CRIU and mounts of a provisioned host.
    @Tag static var e2e: Self
}

/// The provisioned end-to-end host, as `/var/lib/crplan-e2e/env` describes
/// it (`eval "$(sudo scripts/provision)"`), and whether it is ready.
///
/// Without `CRPLAN_E2E=1` the tests are disabled when the host is not
/// ready; with it they run and fail at `E2EHost.require()`, saying what is
/// missing, so CI never mistakes a broken host for a green run.
struct E2EHost: Sendable {
    static let hint = "set CRPLAN_E2E=1 after `eval \"$(sudo scripts/provision)\"`"

    let dockerBinary: String
    let overlay: DockerDaemon
    /// Nil when the vfs daemon is not configured (only the vfs test needs it).
    let vfs: DockerDaemon?
    let criuBinary: String
    let image: String
    let crplanBinary: String
    /// The environment crplan and every helper command run with.
    let environment: [String: String]

    /// True when `CRPLAN_E2E=1`: the tests must run and fail if the host is not ready.
    static var required: Bool { ProcessInfo.processInfo.environment["CRPLAN_E2E"] == "1" }

    /// For `.enabled(if:)`: run when required, or when the host is ready anyway.
    static var shouldRun: Bool { required || readiness.problems.isEmpty }

    /// Why the suite is disabled (shown by `swift test`).
    static var disabledReason: Comment {
        Comment(rawValue: "host not ready (\(readiness.problems.joined(separator: "; "))): \(hint)")
    }

    /// The host, or a failed requirement naming every missing piece.
    static func require() throws -> E2EHost {
        let readiness = readiness
        try #require(readiness.problems.isEmpty, Comment(rawValue: "e2e host not ready: \(readiness.problems.joined(separator: "; ")); \(hint)"))
        return try #require(readiness.host)
    }

    /// The vfs daemon; without it a failed requirement under `CRPLAN_E2E=1`,
    /// else the test is cancelled (skipped) saying why.
    func requireVFS() throws -> DockerDaemon {
        if let vfs { return vfs }
        let why = "CRPLAN_VFS_DOCKER_HOST / CRPLAN_VFS_DOCKER_HOME are not set or the vfs daemon does not answer"
        if !Self.required { try Test.cancel(Comment(rawValue: "\(why): \(Self.hint)")) }
        return try #require(vfs, Comment(rawValue: "\(why); \(Self.hint)"))
    }

    struct Readiness: Sendable {
        var host: E2EHost?
        var problems: [String]
    }

    /// Probed once per test process.
    static let readiness: Readiness = probe()

    private static func probe() -> Readiness {
        let environment = ProcessInfo.processInfo.environment
        var problems: [String] = []
        if getuid() != 0 { problems.append("not root (mounts and CRIU need it)") }
        func value(_ key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }
        let dockerBinary = value("DOCKER_BINARY") ?? "/usr/bin/docker"
        let criuBinary = value("CRIU_BINARY")
        if let criuBinary {
            if !FileManager.default.isExecutableFile(atPath: criuBinary) {
                problems.append("CRIU_BINARY \(criuBinary) is not an executable file")
            }
        } else {
            problems.append("CRIU_BINARY is unset")
        }
        var overlay: DockerDaemon?
        if let host = value("DOCKER_HOST"), let home = value("DOCKER_HOME") {
            let daemon = DockerDaemon(binary: dockerBinary, host: host, home: home, environment: environment)
            if let why = daemon.whyNotAnswering() {
                problems.append("the daemon at \(host) does not answer: \(why)")
            } else {
                overlay = daemon
            }
        } else {
            problems.append("DOCKER_HOST / DOCKER_HOME are unset")
        }
        var vfs: DockerDaemon?
        if let host = value("CRPLAN_VFS_DOCKER_HOST"), let home = value("CRPLAN_VFS_DOCKER_HOME") {
            let daemon = DockerDaemon(binary: dockerBinary, host: host, home: home, environment: environment)
            if daemon.whyNotAnswering() == nil { vfs = daemon }
        }
        let crplan = crplanBinaryPath(environment)
        if !FileManager.default.isExecutableFile(atPath: crplan) {
            problems.append("no crplan executable at \(crplan) (run `swift build`, or set CRPLAN_BINARY_PATH)")
        }
        guard problems.isEmpty, let overlay, let criuBinary else {
            return Readiness(host: nil, problems: problems)
        }
        var childEnvironment = environment
        childEnvironment.removeValue(forKey: "CRPLAN_FAILPOINT")
        childEnvironment.removeValue(forKey: "CRPLAN_STATE_DIR")
        let host = E2EHost(
            dockerBinary: dockerBinary, overlay: overlay, vfs: vfs, criuBinary: criuBinary,
            image: value("CRPLAN_E2E_IMAGE") ?? "busybox", crplanBinary: crplan, environment: childEnvironment)
        return Readiness(host: host, problems: [])
    }

    /// `CRPLAN_BINARY_PATH`, else the `crplan` SwiftPM built (`CrplanExecutable`).
    static func crplanBinaryPath(_ environment: [String: String]) -> String {
        CrplanExecutable.path(environment)
    }
}
