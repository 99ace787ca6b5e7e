import CRPlanCore
import Testing

/// Every hostile value Docker could report is refused before crplan uses
/// it, with a message naming the field and the value.
@Suite struct ContainerFactsValidationTests {
    static let home = "/var/lib/docker"
    static let id = String(repeating: "ab12", count: 16)
    static let layer = "\(home)/overlay2/0123abcd"

    /// What a healthy running overlay2 container looks like.
    static func valid() -> ContainerFacts {
        ContainerFacts(
            id: id, name: "counter", pid: 4242, running: true, status: "running", driver: "overlay2",
            graphDriverData: [
                "LowerDir": "\(layer)-init/diff:\(home)/overlay2/base/diff",
                "UpperDir": "\(layer)/diff", "WorkDir": "\(layer)/work", "MergedDir": "\(layer)/merged",
            ],
            hostnamePath: "\(home)/containers/\(id)/hostname", hostsPath: "\(home)/containers/\(id)/hosts",
            resolvConfPath: "\(home)/containers/\(id)/resolv.conf", rootfs: "\(layer)/merged",
            cgroupMounts: [CgroupMount(path: "/sys/fs/cgroup/cpu", hostPath: "/sys/fs/cgroup/cpu/docker/\(id)")],
            dockerHome: home)
    }

    /// The error `change` makes `validate` throw (failing the test if none).
    func refusal(_ change: (inout ContainerFacts) -> Void) -> FactsValidationError? {
        var facts = Self.valid()
        change(&facts)
        return #expect(throws: FactsValidationError.self) { try facts.validate(dockerHome: Self.home) }
    }

    @Test func healthyFactsPass() throws {
        try Self.valid().validate(dockerHome: Self.home)
        try Self.valid().validate(dockerHome: Self.home + "/")
        var stopped = Self.valid()
        stopped.running = false
        stopped.pid = 0
        stopped.status = "exited"
        stopped.hostnamePath = ""
        stopped.cgroupMounts = []
        try stopped.validate(dockerHome: Self.home)
        var vfs = Self.valid()
        vfs.driver = "vfs"
        vfs.graphDriverData = [:]
        vfs.rootfs = "\(Self.home)/vfs/dir/abc"
        try vfs.validate(dockerHome: Self.home)
        var aufs = Self.valid()
        aufs.aufsBranches = ["\(Self.home)/aufs/diff/m1=rw", "\(Self.home)/aufs/diff/base=ro+wh"]
        try aufs.validate(dockerHome: Self.home)
    }

    @Test(arguments: ["..", "", "abc", String(repeating: "A", count: 64), String(repeating: "a", count: 63), String(repeating: "a", count: 65), String(repeating: "g", count: 64)])
    func idMustBeFull64LowercaseHex(_ id: String) {
        let error = refusal { $0.id = id }
        #expect(error == .notAFullID(id))
        #expect(error?.description.contains("Id `\(id)`") == true)
    }

    @Test(arguments: ["", "-x", ".hidden", "a/b", "a b", "a,b", "a:b", "name\n", String(repeating: "n", count: 256), "ünï"])
    func nameMustBeDockerCharset(_ name: String) {
        #expect(refusal { $0.name = name } == .badName(name))
    }

    @Test func namesDockerAccepts() throws {
        for name in ["a", "counter", "web-1.blue_2", String(repeating: "n", count: 255)] {
            var facts = Self.valid()
            facts.name = name
            try facts.validate(dockerHome: Self.home)
        }
    }

    @Test func pidOfRunningContainerAboveOne() {
        for pid in [0, 1, -5, ContainerFacts.maximumPid + 1] {
            let error = refusal { $0.pid = pid }
            #expect(error == .badPid(pid, running: true))
            #expect(error?.description.contains("State.Pid \(pid)") == true)
        }
        #expect(refusal { $0.running = false; $0.pid = -1 } == .badPid(-1, running: false))
    }

    @Test func commaInUpperDirWouldInjectMountOptions() {
        let hostile = "/x,lowerdir=/etc"
        let error = refusal { $0.graphDriverData["UpperDir"] = hostile }
        guard case .unsafeCharacter(let field, let value, let character, _) = error else {
            Issue.record("expected unsafeCharacter, got \(String(describing: error))")
            return
        }
        #expect(field == "GraphDriver.Data.UpperDir" && value == hostile && character == ",")
        #expect(error?.description.contains("GraphDriver.Data.UpperDir `/x,lowerdir=/etc`") == true)
    }

    @Test(arguments: ["WorkDir", "MergedDir", "UpperDir"])
    func separatorsInDriverDirs(_ key: String) {
        for bad in [",", ":", "=", "\n", "\u{7F}", "\\", "\"", " "] {
            let value = "\(Self.layer)/a\(bad)b"
            guard case .unsafeCharacter(let field, _, _, _) = refusal({ $0.graphDriverData[key] = value }) else {
                Issue.record("\(key) with \(bad.debugDescription) was not refused for its character")
                continue
            }
            #expect(field == "GraphDriver.Data.\(key)")
        }
    }

    @Test func lowerDirEachElementChecked() {
        let good = "\(Self.home)/overlay2/a/diff"
        #expect(refusal { $0.graphDriverData["LowerDir"] = "\(good):/etc" }
            == .outside(field: "GraphDriver.Data.LowerDir", value: "\(good):/etc", directory: Self.home))
        #expect(refusal { $0.graphDriverData["LowerDir"] = "\(good):\(Self.home)/overlay2/../../../etc" }
            == .notNormalized(field: "GraphDriver.Data.LowerDir", value: "\(good):\(Self.home)/overlay2/../../../etc", component: ".."))
        #expect(refusal { $0.graphDriverData["LowerDir"] = "\(good)::\(good)" }
            == .notAbsolute(field: "GraphDriver.Data.LowerDir", value: "\(good)::\(good)"))
        if case .unsafeCharacter(_, _, let character, _) = refusal({ $0.graphDriverData["LowerDir"] = "\(good),upperdir=/etc" }) {
            #expect(character == ",")
        } else {
            Issue.record("a comma in LowerDir was not refused")
        }
    }

    @Test func mergedDirWithDotDotIsRefused() {
        let hostile = "\(Self.home)/overlay2/../../../../etc"
        #expect(refusal { $0.graphDriverData["MergedDir"] = hostile }
            == .notNormalized(field: "GraphDriver.Data.MergedDir", value: hostile, component: ".."))
        #expect(refusal { $0.rootfs = hostile } == .notNormalized(field: "rootfs", value: hostile, component: ".."))
        for path in ["\(Self.layer)/./merged", "\(Self.layer)//merged", "\(Self.layer)/merged/"] {
            guard case .notNormalized = refusal({ $0.rootfs = path }) else {
                Issue.record("\(path) was not refused as not normalised")
                continue
            }
        }
    }

    @Test func driverDirsOutsideDockerHome() {
        #expect(refusal { $0.rootfs = "/etc" } == .outside(field: "rootfs", value: "/etc", directory: Self.home))
        #expect(refusal { $0.rootfs = Self.home } == .outside(field: "rootfs", value: Self.home, directory: Self.home))
        #expect(refusal { $0.rootfs = Self.home + "-other/x" }
            == .outside(field: "rootfs", value: Self.home + "-other/x", directory: Self.home))
        #expect(refusal { $0.graphDriverData["WorkDir"] = "relative/work" }
            == .notAbsolute(field: "GraphDriver.Data.WorkDir", value: "relative/work"))
    }

    @Test func etcFilesUnderTheContainerDirectory() {
        let containerDir = "\(Self.home)/containers/\(Self.id)"
        #expect(refusal { $0.hostsPath = "/etc/shadow" }
            == .outside(field: "HostsPath", value: "/etc/shadow", directory: containerDir))
        let other = "\(Self.home)/containers/\(String(repeating: "f", count: 64))/hosts"
        #expect(refusal { $0.resolvConfPath = other } == .outside(field: "ResolvConfPath", value: other, directory: containerDir))
        let colon = "\(containerDir)/host:name"
        guard case .unsafeCharacter(let field, _, ":", _) = refusal({ $0.hostnamePath = colon }) else {
            Issue.record("a colon in HostnamePath was not refused")
            return
        }
        #expect(field == "HostnamePath")
    }

    @Test func overlongPath() {
        let long = Self.layer + "/" + String(repeating: "x", count: ContainerFacts.maximumPathLength)
        #expect(refusal { $0.rootfs = long } == .tooLong(field: "rootfs", value: long, limit: ContainerFacts.maximumPathLength))
    }

    @Test func statusAndDriverArePlainWords() {
        #expect(refusal { $0.status = "running\n" } == .badToken(field: "State.Status", value: "running\n"))
        #expect(refusal { $0.driver = "../overlay2" } == .badToken(field: "GraphDriver.Name", value: "../overlay2"))
    }

    @Test func factsReadAgainstAnotherHome() {
        #expect(refusal { $0.dockerHome = "/srv/docker" } == .dockerHomeMismatch(recorded: "/srv/docker", expected: Self.home))
    }

    @Test func cgroupMountsAreKeyValueSafe() throws {
        guard case .unsafeCharacter(let field, _, ":", _) = refusal({
            $0.cgroupMounts = [CgroupMount(path: "/sys/fs/cgroup/c:pu", hostPath: "/sys/fs/cgroup/cpu/docker/\(Self.id)")]
        }) else {
            Issue.record("a colon in a cgroup mount point was not refused")
            return
        }
        #expect(field == "cgroup mount point")
        guard case .notNormalized(let hostField, _, _) = refusal({
            $0.cgroupMounts = [CgroupMount(path: "/sys/fs/cgroup/cpu", hostPath: "/sys/fs/cgroup/cpu/../../../etc")]
        }) else {
            Issue.record("a `..` in a cgroup host directory was not refused")
            return
        }
        #expect(hostField == "cgroup host directory")
        // After a native restore the host side is the hierarchy's root: accepted.
        var native = Self.valid()
        native.cgroupMounts = [CgroupMount(path: "/sys/fs/cgroup/cpu", hostPath: "/sys/fs/cgroup/cpu")]
        try native.validate(dockerHome: Self.home)
    }

    @Test func aufsBranchesAreCheckedPathAndMode() {
        #expect(refusal { $0.aufsBranches = ["\(Self.home)/aufs/diff/m1"] } == .malformedBranch("\(Self.home)/aufs/diff/m1"))
        #expect(refusal { $0.aufsBranches = ["\(Self.home)/aufs/diff/m1=rw,exec"] }
            == .malformedBranch("\(Self.home)/aufs/diff/m1=rw,exec"))
        #expect(refusal { $0.aufsBranches = ["\(Self.home)/aufs/diff/../../x=ro+wh"] }
            == .notNormalized(field: "aufs branch", value: "\(Self.home)/aufs/diff/../../x=ro+wh", component: ".."))
    }

    @Test func messagesEscapeControlCharacters() {
        let error = refusal { $0.rootfs = "\(Self.layer)/mer\u{1B}[2Jged" }
        #expect(error?.description.contains("\\u{1b}[2J") == true)
        #expect(error?.description.contains("\u{1B}") == false)
    }
}
