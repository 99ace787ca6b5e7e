import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import Testing

/// `ContainerFactsReader` refuses hostile `docker inspect` values before it
/// reads anything by them, and a pid that is not the container's.
@Suite("ContainerFactsReader: hostile values and pid ownership")
struct ContainerFactsHostileTests {
    static let id = String(repeating: "c0de", count: 16)

    func inspect(id: String = Self.id, pid: Int = 4242, running: Bool = true, home: String) throws -> DockerContainerInspect {
        let json = """
            [{"Id": "\(id)", "Name": "/h3-hostile", "State": {"Status": "\(running ? "running" : "exited")", "Running": \(running), "Pid": \(pid)},
              "GraphDriver": {"Name": "vfs", "Data": null},
              "HostnamePath": "\(home)/containers/\(id)/hostname", "HostsPath": "\(home)/containers/\(id)/hosts",
              "ResolvConfPath": "\(home)/containers/\(id)/resolv.conf"}]
            """
        return try DockerInspect.decode(standardOutput: Array(json.utf8), standardError: "", status: .exited(0), reference: "h3")
    }

    /// A fake procfs: `<root>/<pid>/stat` with a parent, and `<root>/<pid>/cgroup`
    /// (plain writes: fixtures need no fsync).
    func process(_ pid: Int32, parent: Int32, cgroup: String, in root: String) throws {
        try write("\(pid) (fake) S \(parent)" + String(repeating: " 0", count: 18) + "\n", to: "\(root)/\(pid)/stat")
        try write(cgroup, to: "\(root)/\(pid)/cgroup")
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test("an Id of `..` is refused before the layer store is read by it")
    func dotDotID() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        // A mount-id file the traversal would reach: it must not be read.
        try write("escaped", to: temp.appending("image/vfs/layerdb/mount-id"))
        let hostile = try inspect(id: "..", running: false, home: temp.path)
        #expect(throws: ContainerFactsError.invalid(.notAFullID(".."))) {
            try ContainerFactsReader(dockerHome: temp.path).facts(from: hostile, containerMounts: nil, hostMounts: nil)
        }
        #expect(throws: ContainerFactsError.invalid(.notAFullID(".."))) {
            try ContainerFactsReader(dockerHome: temp.path).read(hostile)
        }
    }

    @Test("derived values are validated too: a mount id from the layer store that leaves docker.home")
    func derivedRootfs() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try write("ab,c\n", to: temp.appending("image/vfs/layerdb/mounts/\(Self.id)/mount-id"))
        let error = #expect(throws: ContainerFactsError.self) {
            try ContainerFactsReader(dockerHome: temp.path)
                .facts(from: try inspect(pid: 0, running: false, home: temp.path), containerMounts: nil, hostMounts: nil)
        }
        guard case .invalid(.unsafeCharacter(let field, _, ",", _)) = error else {
            Issue.record("expected the rootfs to be refused for its comma, got \(String(describing: error))")
            return
        }
        #expect(field == "rootfs")
    }

    @Test("the pid must name the container in its cgroup file and not be crplan or an ancestor")
    func pidOwnership() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let proc = temp.appending("proc")
        try process(100, parent: 50, cgroup: "0::/user.slice/crplan\n", in: proc)
        try process(50, parent: 1, cgroup: "0::/user.slice\n", in: proc)
        try process(200, parent: 7, cgroup: "12:pids:/docker/\(Self.id)\n4:cpu:/docker/\(Self.id)\n", in: proc)
        try process(201, parent: 7, cgroup: "12:pids:/docker/\(String(repeating: "f", count: 64))\n", in: proc)
        let reader = ContainerFactsReader(dockerHome: "/var/lib/docker", procRoot: proc)
        try reader.checkPidOwnership(pid: 200, containerID: Self.id, selfPid: 100)
        #expect(throws: ContainerFactsError.pidIsCrplanOrAncestor(pid: 100)) {
            try reader.checkPidOwnership(pid: 100, containerID: Self.id, selfPid: 100)
        }
        #expect(throws: ContainerFactsError.pidIsCrplanOrAncestor(pid: 50)) {
            try reader.checkPidOwnership(pid: 50, containerID: Self.id, selfPid: 100)
        }
        let other = #expect(throws: ContainerFactsError.self) {
            try reader.checkPidOwnership(pid: 201, containerID: Self.id, selfPid: 100)
        }
        guard case .pidNotInContainer(201, Self.id, _) = other else {
            Issue.record("expected pidNotInContainer, got \(String(describing: other))")
            return
        }
        #expect(other?.description.contains("State.Pid 201 does not belong to container \(Self.id)") == true)
        #expect(throws: ContainerFactsError.initGone(pid: 999)) {
            try reader.checkPidOwnership(pid: 999, containerID: Self.id, selfPid: 100)
        }
    }

    @Test("on the real /proc: the test's own parent and a process outside any container are refused")
    func realProc() throws {
        let reader = ContainerFactsReader(dockerHome: "/var/lib/docker")
        #expect(throws: ContainerFactsError.pidIsCrplanOrAncestor(pid: Int(getppid()))) {
            try reader.checkPidOwnership(pid: getppid(), containerID: Self.id)
        }
        #expect(throws: ContainerFactsError.pidIsCrplanOrAncestor(pid: Int(getpid()))) {
            try reader.read(try inspect(pid: Int(getpid()), home: "/var/lib/docker"))
        }
        #expect(throws: ContainerFactsError.invalid(.badPid(1, running: true))) {
            try reader.read(try inspect(pid: 1, home: "/var/lib/docker"))
        }
    }
}
