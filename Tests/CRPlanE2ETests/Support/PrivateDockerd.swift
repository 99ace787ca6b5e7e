import Foundation
import Glibc

/// A dockerd of one test's own (data root, exec root, socket and pid file
/// under a temporary directory), started with the flags `scripts/provision`
/// uses and the CRIU wrapper first on its PATH, so that a test can restart
/// it without touching the shared daemons. Stopped by its pid only.
final class PrivateDockerd: @unchecked Sendable {
    let directory: String
    let daemon: DockerDaemon
    private let dockerd: String
    private let path: String
    private var launched: LaunchedCommand?
    private var starts = 0

    var pid: Int32? { launched.map(\.pid) }

    /// Creates the directories and starts the daemon; throws if it does not answer.
    init(host: E2EHost, dockerd: String = "/usr/sbin/dockerd") async throws {
        var template = Array("/var/lib/crplan-e2e/own-dockerd-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard let made else { throw CommandError("mkdtemp for a private dockerd failed: \(String(cString: strerror(errno)))") }
        directory = String(cString: made)
        self.dockerd = dockerd
        let criuDirectory = (host.criuBinary as NSString).deletingLastPathComponent
        path = criuDirectory + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        var environment = host.environment
        environment["PATH"] = path
        daemon = DockerDaemon(binary: host.dockerBinary, host: "unix://\(directory)/docker.sock", home: directory + "/data", environment: environment)
        try "{}".write(toFile: directory + "/daemon.json", atomically: true, encoding: .utf8)
        try await start()
    }

    /// Starts dockerd and waits until it answers `docker version`.
    func start() async throws {
        starts += 1
        let command = try LaunchedCommand(
            [dockerd, "--experimental", "--config-file", directory + "/daemon.json", "--storage-driver", "overlay2",
             "--data-root", directory + "/data", "--exec-root", directory + "/exec", "--pidfile", directory + "/docker.pid",
             "-H", daemon.host, "--bridge=none", "--iptables=false", "--ip-masq=false", "--ip6tables=false", "--ip-forward=false",
             "--userland-proxy=false"],
            environment: ["PATH": path, "HOME": "/root", "LANG": "C.UTF-8"], directory: "/",
            outputPrefix: directory + "/dockerd-\(starts)")
        launched = command
        let up = await eventually(timeout: .seconds(60), interval: .milliseconds(200)) {
            guard command.isRunning else { return true }
            return daemon.whyNotAnswering() == nil
        }
        guard up, command.isRunning else {
            throw CommandError("the private dockerd did not come up: \(Proc.read(directory + "/dockerd-\(starts).stderr") ?? "")")
        }
    }

    /// SIGTERM to dockerd (it stops its containerd), waiting for it to end; SIGKILL after 30 s.
    func stop() async {
        guard let command = launched else { return }
        launched = nil
        guard command.isRunning else { return }
        kill(command.pid, SIGTERM)
        if !(await eventually(timeout: .seconds(30), interval: .milliseconds(100)) { !command.isRunning }) {
            kill(command.pid, SIGKILL)
            _ = try? await command.wait(timeout: .seconds(10))
        }
        _ = try? await command.wait(timeout: .seconds(5))
    }

    /// Copies `image` from `source` (docker save, docker load).
    func load(_ image: String, from source: DockerDaemon) async throws {
        let archive = directory + "/image.tar"
        try await source.run(["save", "-o", archive, image], timeout: .seconds(120))
        try await daemon.run(["load", "-i", archive], timeout: .seconds(120))
        try? FileManager.default.removeItem(atPath: archive)
    }

    /// Stops the daemon, unmounts what is left below its directory, removes it.
    func remove() async {
        await stop()
        for mount in Proc.mountPoints().filter({ $0.hasPrefix(directory + "/") }).reversed() {
            _ = umount2(mount, Int32(MNT_DETACH))
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
