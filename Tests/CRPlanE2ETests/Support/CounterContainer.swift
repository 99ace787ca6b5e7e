import Foundation
import Glibc

/// The CRIU wiki's workload: a busybox shell appending 0, 1, 2, ... to
/// `/foo`, one number every 0.2 s, with no network.
///
/// Knows where `/foo` lies on the host whatever the container's state
/// (overlay2: the upper dir; vfs: the container's directory), which
/// processes are copies of the workload, and how to clean everything up by
/// pid, mount point and container id.
final class CounterContainer: @unchecked Sendable {
    /// `sleep 0.2`: busybox's sleep takes fractions (checked on the host).
    static let script = "i=0; while true; do echo $i >> /foo; i=$(expr $i + 1); sleep 0.2; done"
    static let commandLine = ["/bin/sh", "-c", script]

    let daemon: DockerDaemon
    let name: String
    let id: String
    /// `GraphDriver.Name`.
    let driver: String
    /// The container's root on the host while it runs (overlay2 MergedDir, vfs directory).
    let rootfs: String
    /// Where its writes land on the host (overlay2 UpperDir, vfs directory).
    let writableDirectory: String
    /// The pid Docker started (gone after a dump).
    let originalPID: Int32

    private let lock = NSLock()
    private var pidfiles: [String] = []

    private init(daemon: DockerDaemon, name: String, inspect: ContainerInspect, rootfs: String, writable: String) {
        self.daemon = daemon
        self.name = name
        id = inspect.id
        driver = inspect.graphDriver.name
        self.rootfs = rootfs
        writableDirectory = writable
        originalPID = inspect.state.pid
    }

    /// `docker run -d --network none --name <name> busybox /bin/sh -c <script>`,
    /// then waits until the counter has written `minimumValues` numbers.
    static func start(on daemon: DockerDaemon, image: String, name: String, minimumValues: Int = 3) async throws -> CounterContainer {
        let id = try await daemon.run(["run", "-d", "--network", "none", "--name", name, image] + commandLine)
        do {
            let inspect = try await daemon.inspect(id)
            let rootfs: String
            let writable: String
            switch inspect.graphDriver.name {
            case "overlay2", "overlay":
                guard let merged = inspect.graphDriver.data?["MergedDir"], let upper = inspect.graphDriver.data?["UpperDir"] else {
                    throw CommandError("docker inspect \(id): no MergedDir/UpperDir in GraphDriver.Data")
                }
                rootfs = merged
                writable = upper
            case "vfs":
                let mountIDPath = "\(daemon.home)/image/vfs/layerdb/mounts/\(id)/mount-id"
                guard let mountID = Proc.read(mountIDPath)?.trimmingCharacters(in: .whitespacesAndNewlines), !mountID.isEmpty else {
                    throw CommandError("cannot read the vfs mount id at \(mountIDPath)")
                }
                rootfs = "\(daemon.home)/vfs/dir/\(mountID)"
                writable = rootfs
            default:
                throw CommandError("unexpected storage driver \(inspect.graphDriver.name)")
            }
            let counter = CounterContainer(daemon: daemon, name: name, inspect: inspect, rootfs: rootfs, writable: writable)
            let wrote = await eventually(timeout: .seconds(20)) { counter.values().count >= minimumValues }
            guard wrote else { throw CommandError("the counter in \(name) did not write \(minimumValues) values: \(counter.values())") }
            return counter
        } catch {
            _ = try? await daemon.run(["rm", "-f", id])
            throw error
        }
    }

    /// Pidfiles whose pid cleanup kills first (a restored tree's init).
    func trackPidfile(_ path: String) {
        lock.withLock { pidfiles.append(path) }
    }

    // MARK: - The counter's file

    var fooPath: String { writableDirectory + "/foo" }

    /// The complete lines of `/foo` as numbers (a torn last line is left out).
    func values() -> [Int] {
        CounterValues.parse(Proc.read(fooPath) ?? "")
    }

    /// `/foo` as the process `pid` sees it (`/proc/<pid>/root/foo`).
    func values(seenBy pid: Int32) -> [Int] {
        CounterValues.parse(Proc.read("/proc/\(pid)/root/foo") ?? "")
    }

    /// Waits until `/foo` holds a value above `value`; returns the values then.
    func waitForValue(above value: Int, timeout: Duration = .seconds(10)) async -> [Int] {
        var current = values()
        _ = await eventually(timeout: timeout) {
            current = values()
            return (current.last ?? -1) > value
        }
        return current
    }

    /// Waits until `/foo` stops changing for `quiet` (the workload is frozen or gone).
    func valuesOnceStill(quiet: Duration = .milliseconds(700), timeout: Duration = .seconds(10)) async -> [Int]? {
        let deadline = ContinuousClock.now + timeout
        var previous = values()
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: quiet)
            let now = values()
            if now == previous { return now }
            previous = now
        }
        return nil
    }

    // MARK: - Workload processes

    /// Processes in the container's cgroup (`/docker/<id>`).
    func containerProcesses() -> [Int32] {
        Proc.allPIDs().filter { Proc.isAlive($0) && Proc.isInContainerCgroup($0, containerID: id) }
    }

    /// Copies of the workload: `/bin/sh -c <script>` processes of the
    /// container's cgroup whose parent is not one itself (ash forks
    /// subshells for `$(expr ...)`; those are part of the same copy).
    func workloadCopies() -> [Int32] {
        let shells = Set(containerProcesses().filter { Proc.commandLine($0) == Self.commandLine })
        return shells.filter { pid in
            guard let parent = Proc.parent(pid) else { return false }
            return !shells.contains(parent)
        }.sorted()
    }

    /// The restored tree's root pid from a pidfile (nil if absent or not a number).
    static func pid(inPidfile path: String) -> Int32? {
        Proc.read(path).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    // MARK: - Cleanup

    /// Kills what runs of the container by pid (pidfile pids first: killing
    /// a pid namespace's init ends its tree), waits for it to die, unmounts
    /// a root Docker does not hold, removes the re-created cgroup dirs and
    /// `docker rm -f`s the container. Returns what could not be cleaned.
    func cleanUp() async -> [String] {
        var problems: [String] = []
        let tracked = lock.withLock { pidfiles }
        var victims = tracked.compactMap(Self.pid(inPidfile:)).filter { Proc.isAlive($0) && Proc.isInContainerCgroup($0, containerID: id) }
        victims += containerProcesses().filter { !victims.contains($0) }
        for pid in victims { kill(pid, SIGKILL) }
        let died = await eventually(timeout: .seconds(15)) { victims.allSatisfy { !Proc.isAlive($0) } && containerProcesses().isEmpty }
        if !died { problems.append("processes of \(id) still alive: \(containerProcesses())") }

        // Docker notices a death of its own process and unmounts the root itself.
        _ = await eventually(timeout: .seconds(15)) { (try? await daemon.inspect(id).state.running) != true }
        var unmountAttempts = 0
        while Proc.isMountPoint(rootfs), unmountAttempts < 50 {
            if (try? await daemon.inspect(id).state.running) == true { break }
            if umount2(rootfs, 0) != 0, errno != EINVAL {
                try? await Task.sleep(for: .milliseconds(100))
            }
            unmountAttempts += 1
        }
        if Proc.isMountPoint(rootfs), (try? await daemon.inspect(id).state.running) != true {
            problems.append("\(rootfs) still mounted (\(String(cString: strerror(errno)))); detaching it")
            _ = umount2(rootfs, Int32(MNT_DETACH))
        }

        for controller in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
            let directory = "/sys/fs/cgroup/\(controller)/docker/\(id)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            if rmdir(directory) != 0, errno != ENOENT {
                problems.append("rmdir \(directory): \(String(cString: strerror(errno)))")
            }
        }

        do {
            try await daemon.run(["rm", "-f", id])
        } catch {
            problems.append("docker rm -f \(id): \(error)")
        }
        return problems
    }
}

/// The numbers in the counter's `/foo`, and the checks the scenarios make on them.
enum CounterValues {
    /// Complete lines as numbers; a last line without its newline is torn (still being written) and left out.
    static func parse(_ text: String) -> [Int] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // after the last "\n": empty, or a torn line
        return lines.compactMap { Int($0) }
    }

    /// Nil when `values` is exactly 0, 1, 2, ... (no restart from 0, no gap,
    /// no value written twice); else where it breaks.
    static func breakInSequence(_ values: [Int]) -> String? {
        for (index, value) in values.enumerated() where value != index {
            let context = values[max(0, index - 3)..<min(values.count, index + 3)]
            return "line \(index + 1) holds \(value), expected \(index) (around: \(Array(context)))"
        }
        return nil
    }

    /// The value written right after `value` (nil if none yet or not found).
    static func successor(of value: Int, in values: [Int]) -> Int? {
        guard let index = values.firstIndex(of: value), index + 1 < values.count else { return nil }
        return values[index + 1]
    }
}
