import CRPlanCore
import Foundation
import Testing

/// Plans and container facts the planning tests share: the CRIU wiki's
/// Docker External example first of all.
enum PlanningFixtures {
    /// A 64-hex id standing for the wiki's `<container_id>` (its short id is 168aefb8881b).
    static let wikiID = "168aefb8881b" + "12a435ec8454c6d1c90a1d92812b09af11bee711fbe524d56a8f"

    /// The wiki's AUFS branch list, top first, as its `mount -t aufs -o br=…` shows it.
    static let wikiBranches = [
        "/var/lib/docker/aufs/diff/\(wikiID)",
        "/var/lib/docker/aufs/diff/\(wikiID)-init",
        "/var/lib/docker/aufs/diff/a9eb172552348a9a49180694790b33a1097f546456d041b6e82e4d7716ddb721",
        "/var/lib/docker/aufs/diff/120e218dd395ec314e7b6249f39d2853911b3d6def6ea164ae05722649f34b16",
        "/var/lib/docker/aufs/diff/42eed7f1bf2ac3f1610c5e616d2ab1ee9c7290234240388d6297bc0f32c34229",
        "/var/lib/docker/aufs/diff/511136ea3c5a64f264b78b5433614aec563103b4d4702f3ba7d4d2698e22c158",
    ]

    /// The wiki scenario as a plan: AUFS, images in /tmp/img/<id>, the four
    /// external mounts of the wiki (old Docker's /.dockerinit included).
    static func wikiPlan(operation: Plan.Operation = .roundtrip) throws -> Plan {
        Plan(
            name: "wiki-aufs",
            description: "The CRIU wiki's Docker External example",
            container: try #require(ContainerReference("168aefb8881b")),
            operation: operation,
            storage: Storage(driver: .aufs),
            imageDir: "/tmp/img/${container.id}",
            extMounts: ExternalMount.dockerManagedFiles + [
                ExternalMount(path: "/.dockerinit", restore: "/var/lib/docker/init/dockerinit-1.0.0"),
            ],
            restore: RestoreSettings(pidfile: "${imageDir}/restore.pid")
        )
    }

    /// What `inspect` reads from the wiki's container: pid 17810, no cgroup v1 mounts.
    static let wikiFacts = ContainerFacts(
        id: wikiID,
        name: "wiki_counter",
        pid: 17810,
        running: true,
        status: "running",
        driver: "aufs",
        graphDriverData: [:],
        hostnamePath: "/var/lib/docker/containers/\(wikiID)/hostname",
        hostsPath: "/var/lib/docker/containers/\(wikiID)/hosts",
        resolvConfPath: "/var/lib/docker/containers/\(wikiID)/resolv.conf",
        rootfs: "/var/lib/docker/aufs/mnt/\(wikiID)",
        cgroupMounts: [],
        aufsBranches: wikiBranches,
        dockerHome: "/var/lib/docker"
    )

    static let overlayID = String(repeating: "0123456789abcdef", count: 4)

    /// An overlay2 container with two cgroup v1 mounts.
    /// The run id a migrate run journals with its facts (it names the staging dir).
    static let migrationRunID = "20261130T175253Z-1a2b"

    /// `overlay2Facts` as a migrate run's inspect binds them (with its run id).
    static var migrationFacts: ContainerFacts {
        var facts = overlay2Facts
        facts.runID = migrationRunID
        return facts
    }

    static let overlay2Facts = ContainerFacts(
        id: overlayID,
        name: "counter",
        pid: 4242,
        running: true,
        status: "running",
        driver: "overlay2",
        graphDriverData: [
            "LowerDir": "/var/lib/docker/overlay2/abc-init/diff:/var/lib/docker/overlay2/base/diff",
            "UpperDir": "/var/lib/docker/overlay2/abc/diff",
            "WorkDir": "/var/lib/docker/overlay2/abc/work",
            "MergedDir": "/var/lib/docker/overlay2/abc/merged",
        ],
        hostnamePath: "/var/lib/docker/containers/\(overlayID)/hostname",
        hostsPath: "/var/lib/docker/containers/\(overlayID)/hosts",
        resolvConfPath: "/var/lib/docker/containers/\(overlayID)/resolv.conf",
        rootfs: "/var/lib/docker/overlay2/abc/merged",
        cgroupMounts: [
            CgroupMount(path: "/sys/fs/cgroup/cpu", hostPath: "/sys/fs/cgroup/cpu/docker/" + overlayID),
            CgroupMount(path: "/sys/fs/cgroup/memory", hostPath: "/sys/fs/cgroup/memory/docker/" + overlayID),
        ],
        dockerHome: "/var/lib/docker"
    )

    /// A vfs container: no GraphDriver.Data, the root is a plain directory.
    static let vfsFacts = ContainerFacts(
        id: overlayID,
        name: "counter",
        pid: 4343,
        running: true,
        status: "running",
        driver: "vfs",
        graphDriverData: [:],
        hostnamePath: "/srv/docker-vfs/containers/\(overlayID)/hostname",
        hostsPath: "/srv/docker-vfs/containers/\(overlayID)/hosts",
        resolvConfPath: "/srv/docker-vfs/containers/\(overlayID)/resolv.conf",
        rootfs: "/srv/docker-vfs/vfs/dir/5d2c1f",
        cgroupMounts: [],
        dockerHome: "/srv/docker-vfs"
    )

    /// A plain plan for `counter` with defaults, as most examples write it.
    static func counterPlan(
        operation: Plan.Operation = .roundtrip,
        mode: Plan.Mode = .external,
        driver: Storage.Driver = .auto
    ) throws -> Plan {
        Plan(
            name: "counter-\(operation.rawValue)",
            container: try #require(ContainerReference("counter")),
            operation: operation,
            mode: mode,
            storage: Storage(driver: driver)
        )
    }

    /// The fixtures folder of the test bundle.
    static func fixtureURL(_ relativePath: String) throws -> URL {
        let root = try #require(Bundle.module.resourceURL, "the test bundle has no resources")
        return root.appending(path: "Fixtures").appending(path: relativePath)
    }
}

extension StepGraph {
    /// The bound argv of each command of step `kind` (driver alternative chosen).
    func argv(_ kind: StepKind, facts: ContainerFacts) throws -> [[String]] {
        let found = try #require(self.step(kind), "no step \(kind.rawValue)")
        return try found.commands(for: facts).map { try $0.bind(facts) }
    }
}

extension CommandTemplate {
    /// The argv bound to `facts` through the one binding path.
    func bind(_ facts: ContainerFacts) throws -> [String] {
        try #require(try bound(to: facts).literalArgv, "a runtime value stayed symbolic")
    }
}
