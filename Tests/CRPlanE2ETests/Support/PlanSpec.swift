import Foundation

/// A plan file for one test, with every host-specific value explicit
/// (docker host, home and binary, CRIU binary, image dir, pidfile), so a
/// run never depends on crplan's defaults or the caller's environment.
struct PlanSpec: Sendable {
    struct ExtMount: Sendable {
        var path: String
        var restore: String
    }

    var name: String
    var container: String
    var operation = "roundtrip"
    var mode = "external"
    /// `storage.driver` (external mode only).
    var driver: String? = "overlay2"
    var daemon: DockerDaemon
    /// A wrapper run instead of `daemon.binary` (the fault cells); nil: the daemon's own binary.
    var dockerBinary: String?
    var criuBinary: String
    /// External mode only.
    var imageDir: String?
    var pidfile: String?
    /// Native mode: `restore.checkpoint`.
    var checkpointName: String?
    /// Nil keeps crplan's default (the three Docker-managed /etc files).
    var extMounts: [ExtMount]?
    var dumpTimeout = "60s"
    /// `operation: migrate`: the target engine and its settings.
    var migrateTarget: MigrateTargetSpec?
    /// `criu.leaveRunning` (a migrate copy).
    var leaveRunning = false
    /// `archive` (a migrate's portable archive).
    var archive: String?
    /// `criu.preDump.iterations` (external mode).
    var preDumpIterations: Int?
    var restoreTimeout = "60s"

    /// The Docker-managed /etc files, as crplan's default has them.
    static func dockerManagedFiles(hostnameSource: String = "${container.dir}/hostname") -> [ExtMount] {
        [
            ExtMount(path: "/etc/resolv.conf", restore: "${container.dir}/resolv.conf"),
            ExtMount(path: "/etc/hosts", restore: "${container.dir}/hosts"),
            ExtMount(path: "/etc/hostname", restore: hostnameSource),
        ]
    }

    var yaml: String {
        var lines = [
            "# written by CRPlanE2ETests",
            "version: 1",
            "name: \(quoted(name))",
            "container: \(quoted(container))",
            "operation: \(operation)",
            "mode: \(mode)",
            "docker:",
            "  binary: \(quoted(dockerBinary ?? daemon.binary))",
            "  host: \(quoted(daemon.host))",
        ]
        if mode == "external" {
            lines.append("  home: \(quoted(daemon.home))")
            if let driver { lines += ["storage:", "  driver: \(driver)"] }
            lines += ["criu:", "  binary: \(quoted(criuBinary))"]
            if let preDumpIterations { lines += ["  preDump:", "    iterations: \(preDumpIterations)"] }
            if let imageDir { lines.append("imageDir: \(quoted(imageDir))") }
            if let extMounts {
                lines.append("extMounts:")
                for mount in extMounts {
                    lines += ["  - path: \(quoted(mount.path))", "    restore: \(quoted(mount.restore))"]
                }
            }
        }
        if let target = migrateTarget {
            lines.append("  home: \(quoted(daemon.home))")
            if let imageDir { lines.append("imageDir: \(quoted(imageDir))") }
            if leaveRunning { lines += ["criu:", "  leaveRunning: true"] }
            lines += [
                "target:", "  docker:", "    binary: \(quoted(target.binary ?? target.daemon.binary))",
                "    host: \(quoted(target.daemon.host))", "    home: \(quoted(target.daemon.home))",
                "  name: \(quoted(target.name))", "  image: \(target.image)", "  source: \(target.source)",
            ]
            if let ssh = target.ssh {
                lines += [
                    "  ssh:", "    destination: \(quoted(ssh.destination))", "    port: \(quoted(ssh.port))",
                    "    identityFile: \(quoted(ssh.identityFile))", "    knownHostsFile: \(quoted(ssh.knownHostsFile))",
                    "    controlDirectory: \(quoted(ssh.controlDirectory))", "    options: {ConnectTimeout: 20}",
                ]
            }
            if let archive { lines.append("archive: \(quoted(archive))") }
        } else if let archive {
            // checkpoint with `archive` (native): staged like a migrate's source half;
            // restore with `archive` (job 2): this engine's data root and driver, the staging root, the archive.
            lines.append("  home: \(quoted(daemon.home))")
            if operation == "restore", let driver { lines += ["storage:", "  driver: \(driver)"] }
            if let imageDir { lines.append("imageDir: \(quoted(imageDir))") }
            if leaveRunning { lines += ["criu:", "  leaveRunning: true"] }
            lines.append("archive: \(quoted(archive))")
        }
        if operation != "checkpoint" || archive != nil, pidfile != nil || checkpointName != nil {
            lines.append("restore:")
            if let pidfile { lines.append("  pidfile: \(quoted(pidfile))") }
            if let checkpointName { lines.append("  checkpoint: \(quoted(checkpointName))") }
        }
        lines.append("timeouts:")
        if operation != "restore" { lines.append("  dump: \(dumpTimeout)") }
        if operation != "checkpoint" { lines.append("  restore: \(restoreTimeout)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// `target:` of a migrate plan.
struct MigrateTargetSpec: Sendable {
    var daemon: DockerDaemon
    var name: String
    /// Overrides `target.docker.binary` (a wrapper that fails on purpose).
    var binary: String?
    var image = "transfer"
    var source = "keep"
    /// `target.ssh` (the private sshd, CRPLAN_SSH_*): the target engine behind a real ssh hop.
    var ssh: SSHSpec?
}

/// `target.ssh` of an e2e plan.
struct SSHSpec: Sendable {
    var destination: String
    var port: String
    var identityFile: String
    var knownHostsFile: String
    var controlDirectory: String

    /// From the provisioned environment (`CRPLAN_SSH_*`).
    static func provisioned(_ environment: [String: String]) throws -> SSHSpec {
        let keys = ["CRPLAN_SSH_DESTINATION", "CRPLAN_SSH_PORT", "CRPLAN_SSH_IDENTITY", "CRPLAN_SSH_KNOWN_HOSTS", "CRPLAN_SSH_CONTROL_DIR"]
        let values = keys.compactMap { environment[$0] }
        guard values.count == keys.count else { throw CommandError("CRPLAN_SSH_* are not set: run scripts/provision") }
        return SSHSpec(destination: values[0], port: values[1], identityFile: values[2], knownHostsFile: values[3], controlDirectory: values[4])
    }
}
