import CRPlanCore
import CRPlanHost
import Foundation
import Testing

@Suite("docker inspect decoded by SystemHost against the real daemons", .tags(.e2e), .enabled(if: E2E.enabled, E2E.skipReason))
struct DockerInspectE2ETests {
    @Test("overlay2: facts of a running container match the kernel's view", .enabled(if: E2E.isRoot, "reads another process's mountinfo"))
    func overlayRunning() async throws {
        let daemon = try await E2E.daemon()
        let name = E2E.uniqueName("ov")
        try await daemon.withContainers { track in
            let id = track(try await daemon.startContainer(name))
            let facts = try await daemon.facts(name)
            #expect(facts.id == id)
            #expect(facts.name == name)
            #expect(facts.running && facts.pid > 0)
            #expect(facts.driver == "overlay2")
            #expect(try await daemon.facts(String(id.prefix(12))).id == id)

            // Docker's overlay at the root, over GraphDriver.Data's upper dir
            // (the kernel shows the lower dirs as Docker's short l/ links).
            let root = try #require(try MountTable.read().mount(at: facts.rootfs)?.mountEntry)
            #expect(root.fileSystemType == "overlay")
            #expect(root.superOption("upperdir") == facts.graphDriverData["UpperDir"])

            #expect(!facts.cgroupMounts.isEmpty)
            for mount in facts.cgroupMounts {
                #expect(mount.hostPath.hasSuffix("/docker/\(id)"))
                #expect(try DurableFiles.status(mount.hostPath, followingLinks: true)?.kind == .directory)
            }
            #expect(facts.hostnamePath == "\(daemon.home)/containers/\(id)/hostname")

            let proc = ProcFS()
            #expect(proc.isAlive(Int32(facts.pid)))
            let inspect = try await daemon.inspect(id)
            #expect(try proc.commandLine(Int32(facts.pid)) == inspect.commandLine)
        }
    }

    @Test("vfs: the root is the layer store's directory, and it is what the init has as /", .enabled(if: E2E.isRoot, "reads another process's mountinfo"))
    func vfsRunning() async throws {
        let daemon = try await E2E.daemon(vfs: true)
        let name = E2E.uniqueName("vfs")
        try await daemon.withContainers { track in
            _ = track(try await daemon.startContainer(name))
            let facts = try await daemon.facts(name)
            #expect(facts.driver == "vfs")
            #expect(facts.graphDriverData.isEmpty)
            #expect(facts.rootfs.hasPrefix("\(daemon.home)/vfs/dir/"))
            #expect(try DurableFiles.status(facts.rootfs + "/bin")?.kind == .directory)
            let root = try #require(try MountTable.read(pid: Int32(facts.pid)).rootMount)
            #expect(try MountTable.read().hostPath(of: root) == facts.rootfs)
            #expect(!facts.cgroupMounts.isEmpty)
        }
    }

    @Test("a stopped container has no pid and no cgroup mounts")
    func stopped() async throws {
        let daemon = try await E2E.daemon()
        let name = E2E.uniqueName("stopped")
        try await daemon.withContainers { track in
            let id = track(try await daemon.startContainer(name, script: "exit 0"))
            var facts = try await daemon.facts(id)
            for _ in 0..<100 where facts.running {
                try await Task.sleep(for: .milliseconds(50))
                facts = try await daemon.facts(id)
            }
            #expect(!facts.running && facts.pid == 0 && facts.status == "exited")
            #expect(facts.cgroupMounts.isEmpty)
            #expect(facts.rootfs.hasSuffix("/merged"))
        }
    }

    @Test("an unknown container is notFound")
    func notFound() async throws {
        let daemon = try await E2E.daemon()
        let name = E2E.uniqueName("missing")
        await #expect(throws: DockerInspectError.notFound(reference: name)) {
            try await daemon.inspect(name)
        }
        await #expect(throws: HostError.containerNotFound(reference: name)) {
            try await daemon.facts(name)
        }
    }

    @Test("an id prefix shared by several containers is ambiguous")
    func ambiguous() async throws {
        let daemon = try await E2E.daemon()
        try await daemon.withContainers { track in
            // Create stopped containers until two of ours share their first hex
            // digit (at most 17). Only our own count: other tests (the e2e
            // target runs beside this one) create and remove containers on the
            // same daemon, so one of theirs may be gone by the time we inspect.
            var created: [String] = []
            var prefix: String?
            for _ in 0..<17 where prefix == nil {
                created.append(track(try await daemon.docker(
                    ["create", "--network", "none", "--name", E2E.uniqueName("amb"), daemon.image, "true"])))
                prefix = created.map { String($0.prefix(1)) }.first { first in created.filter { $0.hasPrefix(first) }.count >= 2 }
            }
            let shared = try #require(prefix)
            await #expect(throws: HostError.ambiguousContainer(reference: shared, candidates: [])) {
                try await daemon.facts(shared)
            }
        }
    }
}
