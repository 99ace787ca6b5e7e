import CRPlanCore
import CRPlanHost
import Foundation
import SystemPackage
import Testing

@Suite("ContainerFactsReader")
struct ContainerFactsReaderTests {
    func inspect(_ name: String) throws -> DockerContainerInspect {
        try DockerInspect.decode(
            standardOutput: try Fixture.bytes("inspect/\(name).json"), standardError: "", status: .exited(0), reference: name)
    }

    func table(_ name: String) throws -> MountTable {
        try MountTable(parsing: try Fixture.text("mountinfo/\(name).txt"))
    }

    /// The inspect output as if Docker's data root were `home`.
    func moved(_ inspect: DockerContainerInspect, from old: String, to home: String) -> DockerContainerInspect {
        var copy = inspect
        copy.hostnamePath = home + copy.hostnamePath.dropFirst(old.count)
        copy.hostsPath = home + copy.hostsPath.dropFirst(old.count)
        copy.resolvConfPath = home + copy.resolvConfPath.dropFirst(old.count)
        return copy
    }

    @Test("overlay2, running: MergedDir is the root and the nine cgroup v1 mounts map to the host")
    func overlayRunning() throws {
        let reader = ContainerFactsReader(dockerHome: FixtureIDs.overlayHome + "/")
        let facts = try reader.facts(
            from: try inspect("overlay2-running"), containerMounts: try table("overlay2-container"), hostMounts: try table("host"))
        let layer = "\(FixtureIDs.overlayHome)/overlay2/cbae7d68296ec8dda1682f6587ce1fbb5371d3cee5337d7ed041153466e7147d"
        #expect(facts.id == FixtureIDs.overlayRunning)
        #expect(facts.name == "crplan-host-fx-run")
        #expect(facts.pid == 22438 && facts.running && facts.status == "running")
        #expect(facts.driver == "overlay2")
        #expect(facts.rootfs == "\(layer)/merged")
        #expect(facts.dockerHome == FixtureIDs.overlayHome)
        #expect(facts.value(of: .containerDir) == "\(FixtureIDs.overlayHome)/containers/\(FixtureIDs.overlayRunning)")
        #expect(facts.value(of: .rootfsUpperDir) == "\(layer)/diff")
        #expect(facts.cgroupMounts.count == 9)
        #expect(facts.cgroupMounts.first == CgroupMount(
            path: "/sys/fs/cgroup/cpu", hostPath: "/sys/fs/cgroup/cpu/docker/\(FixtureIDs.overlayRunning)"))
        #expect(facts.aufsBranches.isEmpty)
    }

    @Test("overlay2, exited: no mount tables, no cgroup mounts, same root")
    func overlayExited() throws {
        let facts = try ContainerFactsReader(dockerHome: FixtureIDs.overlayHome)
            .facts(from: try inspect("overlay2-exited"), containerMounts: nil, hostMounts: nil)
        #expect(!facts.running && facts.pid == 0 && facts.status == "exited")
        #expect(facts.cgroupMounts.isEmpty)
        #expect(facts.rootfs.hasSuffix("/merged"))
    }

    @Test("vfs: the root comes from the layer store's mount id")
    func vfs() throws {
        let home = try Fixture.path("vfs-home")
        let vfs = moved(try inspect("vfs-running"), from: FixtureIDs.vfsHome, to: home)
        let facts = try ContainerFactsReader(dockerHome: home).facts(from: vfs, containerMounts: nil, hostMounts: nil)
        #expect(facts.driver == "vfs")
        #expect(facts.graphDriverData.isEmpty)
        #expect(facts.rootfs == "\(home)/vfs/dir/\(FixtureIDs.vfsMountID)")
        #expect(facts.value(of: .containerRootfs) == facts.rootfs)
    }

    @Test("vfs: the init's root mount must show the derived directory")
    func vfsRootCrossCheck() throws {
        let home = try Fixture.path("vfs-home")
        let vfs = moved(try inspect("vfs-running"), from: FixtureIDs.vfsHome, to: home)
        let reader = ContainerFactsReader(dockerHome: home)
        // The captured tables show the real data root, not the fixture copy: a mismatch.
        #expect(throws: ContainerFactsError.rootMismatch(
            derived: "\(home)/vfs/dir/\(FixtureIDs.vfsMountID)",
            mounted: "\(FixtureIDs.vfsHome)/vfs/dir/\(FixtureIDs.vfsMountID)")) {
            try reader.facts(from: vfs, containerMounts: try table("vfs-container"), hostMounts: try table("host"))
        }
        // The same tables with the root line pointing at the fixture copy: accepted, cgroups mapped.
        var container = try table("vfs-container")
        container.entries[0].root = "\(home)/vfs/dir/\(FixtureIDs.vfsMountID)"
        let facts = try reader.facts(from: vfs, containerMounts: container, hostMounts: try table("host"))
        #expect(facts.cgroupMounts.map(\.hostPath).allSatisfy { $0.hasSuffix("/docker/\(FixtureIDs.vfsRunning)") })
        #expect(facts.cgroupMounts.count == 9)
    }

    @Test("a wrong docker.home is named with the one Docker uses")
    func wrongHome() throws {
        #expect(throws: ContainerFactsError.dockerHomeMismatch(configured: "/var/lib/docker", reported: FixtureIDs.overlayHome)) {
            try ContainerFactsReader(dockerHome: "/var/lib/docker")
                .facts(from: try inspect("overlay2-running"), containerMounts: nil, hostMounts: nil)
        }
    }

    @Test("vfs without a readable mount-id file is an error naming the file")
    func missingMountID() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let vfs = moved(try inspect("vfs-running"), from: FixtureIDs.vfsHome, to: temp.path)
        let error = #expect(throws: ContainerFactsError.self) {
            try ContainerFactsReader(dockerHome: temp.path).facts(from: vfs, containerMounts: nil, hostMounts: nil)
        }
        guard case .mountIDUnreadable(let path, let cause) = error else {
            Issue.record("expected mountIDUnreadable, got \(String(describing: error))")
            return
        }
        #expect(path == "\(temp.path)/image/vfs/layerdb/mounts/\(FixtureIDs.vfsRunning)/mount-id")
        #expect(cause.errno == .noSuchFileOrDirectory)
    }

    @Test("overlay without MergedDir and a private cgroup namespace are refused")
    func refusals() throws {
        var noMerged = try inspect("overlay2-running")
        noMerged.graphDriver.data?["MergedDir"] = nil
        let reader = ContainerFactsReader(dockerHome: FixtureIDs.overlayHome)
        #expect(throws: ContainerFactsError.missingGraphDriverData(driver: "overlay2", key: "MergedDir")) {
            try reader.facts(from: noMerged, containerMounts: nil, hostMounts: nil)
        }
        #expect(throws: ContainerFactsError.privateCgroupNamespace(pid: 22438)) {
            try reader.facts(
                from: try inspect("overlay2-running"), containerMounts: try table("overlay2-container"),
                hostMounts: try table("host"), sharesCgroupNamespace: false)
        }
    }

    @Test("aufs: root under aufs/mnt and branches from the layers file, read-write first")
    func aufs() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let home = temp.path
        var aufs = moved(try inspect("overlay2-running"), from: FixtureIDs.overlayHome, to: home)
        aufs.graphDriver.name = "aufs"
        aufs.graphDriver.data = nil
        let mountsDir = "\(home)/image/aufs/layerdb/mounts/\(FixtureIDs.overlayRunning)"
        try DurableFiles.createDirectory(mountsDir)
        try DurableFiles.writeAtomically("m123", to: mountsDir + "/mount-id")
        try DurableFiles.createDirectory("\(home)/aufs/layers")
        try DurableFiles.writeAtomically("m123-init\nbase1\nbase0\n", to: "\(home)/aufs/layers/m123")
        let facts = try ContainerFactsReader(dockerHome: home).facts(from: aufs, containerMounts: nil, hostMounts: nil)
        #expect(facts.rootfs == "\(home)/aufs/mnt/m123")
        #expect(facts.aufsBranches == [
            "\(home)/aufs/diff/m123=rw", "\(home)/aufs/diff/m123-init=ro+wh",
            "\(home)/aufs/diff/base1=ro+wh", "\(home)/aufs/diff/base0=ro+wh",
        ])
        #expect(facts.value(of: .rootfsBranches)?.hasPrefix("\(home)/aufs/diff/m123=rw:") == true)
    }

    @Test("an unknown driver gets an empty root (the inspect step refuses it)")
    func unknownDriver() throws {
        var btrfs = try inspect("overlay2-running")
        btrfs.graphDriver.name = "btrfs"
        btrfs.graphDriver.data = nil
        let facts = try ContainerFactsReader(dockerHome: FixtureIDs.overlayHome).facts(from: btrfs, containerMounts: nil, hostMounts: nil)
        #expect(facts.rootfs.isEmpty)
        #expect(facts.driver == "btrfs")
    }
}
