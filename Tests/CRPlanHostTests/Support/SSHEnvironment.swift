import CRPlanCore
import CRPlanHost
import Foundation
import Testing

/// The private sshd of the provisioned host (`scripts/provision`:
/// CRPLAN_SSH_DESTINATION, _PORT, _IDENTITY, _KNOWN_HOSTS, _CONTROL_DIR).
/// Tests using it are skipped when it is not configured, and fail instead
/// when `CRPLAN_E2E=1`.
enum SSHEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    static func target(multiplexed: Bool = false) throws -> SSHTarget {
        guard let destination = environment["CRPLAN_SSH_DESTINATION"], !destination.isEmpty,
            let port = environment["CRPLAN_SSH_PORT"].flatMap(Int.init),
            let identity = environment["CRPLAN_SSH_IDENTITY"], let knownHosts = environment["CRPLAN_SSH_KNOWN_HOSTS"]
        else {
            if E2E.required { throw E2EFailure("CRPLAN_E2E=1 but CRPLAN_SSH_* are not set: run scripts/provision") }
            try Test.cancel("CRPLAN_SSH_DESTINATION is unset: source /var/lib/crplan-e2e/env to run the ssh tests")
        }
        let multiplexing = multiplexed
            ? environment["CRPLAN_SSH_CONTROL_DIR"].map { SSHMultiplexing(controlDirectory: $0, persistSeconds: 30) } : nil
        return try SSHTarget(
            destination: destination, port: port, identityFile: identity, knownHostsFile: knownHosts,
            options: [try SSHOption(key: "ConnectTimeout", value: "20")], multiplexing: multiplexing)
    }
}

/// Whether `zstd` is on PATH: the archive tests need it; they are skipped
/// without it, except under `CRPLAN_E2E=1` (where scripts/provision installed it).
enum Zstd {
    static var available: Bool {
        (try? CommandRunner.resolveExecutable("zstd", searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "")) != nil
    }
    static var enabled: Bool { available || E2E.required }
    static let skipReason: Comment = "zstd is not installed (scripts/provision installs it)"
}
