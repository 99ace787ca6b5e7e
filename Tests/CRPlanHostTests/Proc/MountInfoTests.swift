import CRPlanCore
import CRPlanHost
import Foundation
import Testing

@Suite("MountInfo")
struct MountInfoTests {
    @Test("a line with optional fields parses into every field")
    func parseLine() throws {
        let entry = try MountInfoEntry.parse(
            line: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue")
        #expect(entry == MountInfoEntry(
            mountID: 36, parentID: 35, device: "98:0", root: "/mnt1", mountPoint: "/mnt2",
            mountOptions: ["rw", "noatime"], optionalFields: ["master:1", "shared:7"], fileSystemType: "ext3",
            source: "/dev/root", superOptions: ["rw", "errors=continue"]))
        #expect(entry.mountEntry == MountEntry(
            mountPoint: "/mnt2", root: "/mnt1", fileSystemType: "ext3", source: "/dev/root",
            superOptions: ["rw", "errors=continue"]))
        #expect(entry.mountEntry.superOption("errors") == "continue")
        #expect(entry.mountEntry.superOption("missing") == nil)
    }

    @Test("octal escapes are decoded (real kernel output for a path with a space and a backslash)")
    func escapes() throws {
        let table = try MountTable(parsing: try Fixture.text("mountinfo/host-escaped.txt"))
        #expect(table.entries[0].mountPoint == "/tmp/crplan fx,o=v\\x/tm p")
        #expect(table.isMountPoint("/tmp/crplan fx,o=v\\x/tm p/"))
        #expect(MountInfoEntry.unescape("a\\134b\\040c\\011d\\012e") == "a\\b c\td\ne")
        #expect(MountInfoEntry.unescape("trailing\\04") == "trailing\\04")
        #expect(MountInfoEntry.unescape("not\\999octal") == "not\\999octal")
    }

    @Test("malformed lines are reported with their line number", arguments: [
        "36 35 98:0 /mnt1 /mnt2 rw,noatime ext3 /dev/root rw",
        "x 35 98:0 / / rw - ext4 /dev/vda rw",
        "36 35 98:0 / / rw -",
    ])
    func malformed(line: String) {
        #expect(throws: MountInfoError.malformed(line: 2, text: line)) {
            try MountTable(parsing: "1 0 0:1 / / rw - rootfs rootfs rw\n" + line + "\n")
        }
    }

    @Test("the real host table: mount points, stacking, missing mounts")
    func hostTable() throws {
        let host = try MountTable(parsing: try Fixture.text("mountinfo/host.txt"))
        #expect(host.entries.count == 25)
        let merged = "/var/lib/crplan-e2e/overlay2/overlay2/cbae7d68296ec8dda1682f6587ce1fbb5371d3cee5337d7ed041153466e7147d/merged"
        #expect(host.isMountPoint(merged))
        #expect(host.isMountPoint(merged + "/"))
        #expect(!host.isMountPoint(merged + "/etc"))
        #expect(host.mount(at: "/sys/fs/cgroup/cpu")?.device == "0:29")
        #expect(host.mount(at: "/sys/fs/cgroup/unified")?.fileSystemType == "cgroup2")
        // A later mount at the same point hides the earlier one.
        var stacked = host
        stacked.entries.append(MountInfoEntry(
            mountID: 999, parentID: 47, device: "0:99", root: "/", mountPoint: merged,
            fileSystemType: "tmpfs", source: "tmpfs"))
        #expect(stacked.mount(at: merged)?.mountID == 999)
    }

    @Test("cgroup v1 mounts of the overlay2 container map to /sys/fs/cgroup/<ctrl>/docker/<id>")
    func cgroupMounts() throws {
        let host = try MountTable(parsing: try Fixture.text("mountinfo/host.txt"))
        let container = try MountTable(parsing: try Fixture.text("mountinfo/overlay2-container.txt"))
        let mounts = try container.cgroupMounts(host: host)
        let controllers = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd"]
        #expect(mounts == controllers.map {
            CgroupMount(path: "/sys/fs/cgroup/\($0)", hostPath: "/sys/fs/cgroup/\($0)/docker/\(FixtureIDs.overlayRunning)")
        })
    }

    @Test("a container cgroup hierarchy the host does not mount is an error naming it")
    func cgroupWithoutHostMount() throws {
        var host = try MountTable(parsing: try Fixture.text("mountinfo/host.txt"))
        host.entries.removeAll { $0.mountPoint == "/sys/fs/cgroup/pids" }
        let container = try MountTable(parsing: try Fixture.text("mountinfo/overlay2-container.txt"))
        #expect(throws: MountInfoError.noHostMount(
            mountPoint: "/sys/fs/cgroup/pids", device: "0:36", root: "/docker/\(FixtureIDs.overlayRunning)"
        )) { try container.cgroupMounts(host: host) }
    }

    @Test("host paths: the most specific root of the same device wins")
    func hostPathPrefers() throws {
        let host = try MountTable(parsing: """
            20 1 254:0 / / rw - ext4 /dev/vda rw
            21 20 254:0 /srv/data /data rw - ext4 /dev/vda rw
            22 20 0:50 /sub /other rw - tmpfs tmpfs rw
            """)
        func entry(_ device: String, _ root: String) -> MountInfoEntry {
            MountInfoEntry(mountID: 1, parentID: 0, device: device, root: root, mountPoint: "/x", fileSystemType: "ext4", source: "s")
        }
        #expect(host.hostPath(of: entry("254:0", "/srv/data/vfs/dir/abc")) == "/data/vfs/dir/abc")
        #expect(host.hostPath(of: entry("254:0", "/srv/database")) == "/srv/database")
        #expect(host.hostPath(of: entry("254:0", "/")) == "/")
        #expect(host.hostPath(of: entry("0:50", "/sub/a")) == "/other/a")
        #expect(host.hostPath(of: entry("0:50", "/elsewhere")) == nil)
        #expect(host.hostPath(of: entry("9:9", "/")) == nil)
    }

    @Test("the vfs container's root line names its directory under vfs/dir")
    func vfsRoot() throws {
        let host = try MountTable(parsing: try Fixture.text("mountinfo/host.txt"))
        let container = try MountTable(parsing: try Fixture.text("mountinfo/vfs-container.txt"))
        let root = try #require(container.rootMount)
        #expect(root.fileSystemType == "ext4")
        let expected = "\(FixtureIDs.vfsHome)/vfs/dir/\(FixtureIDs.vfsMountID)"
        #expect(root.root == expected)
        #expect(host.hostPath(of: root) == expected)
        #expect(container.mount(at: "/etc/hostname") != nil)
    }

    @Test("reading this process's own mountinfo finds the root mount")
    func readSelf() throws {
        let table = try MountTable.read()
        #expect(table.rootMount != nil)
        #expect(throws: MountInfoError.self) { try MountTable.read(pid: Int32.max) }
    }
}
