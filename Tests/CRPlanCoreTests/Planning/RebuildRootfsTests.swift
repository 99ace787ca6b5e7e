import CRPlanCore
import Testing

/// `rebuild-rootfs` carries the mount argv of each storage driver, guarded
/// so that it is idempotent and never mounts over something else.
@Suite struct RebuildRootfsTests {
    private func rebuild(_ driver: Storage.Driver, operation: Plan.Operation = .roundtrip) throws -> Step {
        let graph = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan(operation: operation, driver: driver))
        return try #require(graph.step(.rebuildRootfs))
    }

    @Test func overlay2MountsTheLayersFromGraphDriverData() throws {
        let step = try rebuild(.overlay2)
        #expect(step.commands.isEmpty)
        #expect(step.alternatives.map(\.drivers) == [[.overlay2]])
        let merged = "/var/lib/docker/overlay2/abc/merged"
        let options = "lowerdir=/var/lib/docker/overlay2/abc-init/diff:/var/lib/docker/overlay2/base/diff,"
            + "upperdir=/var/lib/docker/overlay2/abc/diff,workdir=/var/lib/docker/overlay2/abc/work"
        let commands = try step.commands(for: PlanningFixtures.overlay2Facts)
        #expect(try commands.map { try $0.bind(PlanningFixtures.overlay2Facts) } == [
            ["mkdir", "-p", merged],
            ["mount", "-t", "overlay", "overlay", "-o", options, merged],
        ])
        #expect(commands.last?.guards == [
            .skipIfMounted(
                target: "${container.rootfs}", fsType: "overlay",
                options: "lowerdir=${rootfs.lowerdir},upperdir=${rootfs.upperdir},workdir=${rootfs.workdir}"
            ),
        ])
        #expect(step.undo == .unmount("${container.rootfs}"))
    }

    @Test func overlayIsMountedLikeOverlay2() throws {
        var facts = PlanningFixtures.overlay2Facts
        facts.driver = "overlay"
        let step = try rebuild(.overlay)
        #expect(try step.commands(for: facts).map { try $0.bind(facts) }.last?.prefix(4) == ["mount", "-t", "overlay", "overlay"])
    }

    @Test func vfsBindsTheDirectoryOntoItself() throws {
        let step = try rebuild(.vfs)
        let root = "/srv/docker-vfs/vfs/dir/5d2c1f"
        let commands = try step.commands(for: PlanningFixtures.vfsFacts)
        #expect(try commands.map { try $0.bind(PlanningFixtures.vfsFacts) } == [["mount", "--bind", root, root]])
        #expect(commands.first?.guards == [
            .requireDirectory(path: "${container.rootfs}"), .skipIfMountPoint(path: "${container.rootfs}"),
        ])
    }

    @Test func autoCarriesEveryDriverAndTheFactsChoose() throws {
        let step = try rebuild(.auto)
        #expect(step.alternatives.map(\.drivers) == [[.overlay2, .overlay], [.aufs], [.vfs]])
        let vfs = try step.commands(for: PlanningFixtures.vfsFacts).map { try $0.bind(PlanningFixtures.vfsFacts) }
        #expect(vfs.map { Array($0.prefix(2)) } == [["mount", "--bind"]])
        let overlay = try step.commands(for: PlanningFixtures.overlay2Facts).map { try $0.bind(PlanningFixtures.overlay2Facts) }
        #expect(overlay.map(\.first) == ["mkdir", "mount"])
        let aufs = try step.commands(for: PlanningFixtures.wikiFacts).map { try $0.bind(PlanningFixtures.wikiFacts) }
        #expect(aufs.last?.prefix(4) == ["mount", "-t", "aufs", "-o"])
    }

    @Test func restoreOnlyRebuildsAfterLoadingTheCheckpoint() throws {
        let step = try rebuild(.auto, operation: .restore)
        #expect(step.dependsOn == [.loadCheckpoint])
    }

    @Test func aDriverTheStepDoesNotServeIsRefused() throws {
        let step = try rebuild(.aufs)
        #expect(throws: BindingError.unservedDriver("overlay2", served: ["aufs"], purpose: "run step rebuild-rootfs")) {
            try step.commands(for: PlanningFixtures.overlay2Facts)
        }
        var btrfs = PlanningFixtures.overlay2Facts
        btrfs.driver = "btrfs"
        let auto = try rebuild(.auto)
        #expect(throws: BindingError.unservedDriver("btrfs", served: ["overlay2", "overlay", "aufs", "vfs"], purpose: "run step rebuild-rootfs")) {
            try auto.commands(for: btrfs)
        }
    }

    @Test func missingLayersAreReportedWithTheVariable() throws {
        var facts = PlanningFixtures.overlay2Facts
        facts.graphDriverData["UpperDir"] = nil
        let commands = try rebuild(.overlay2).commands(for: facts)
        let mount = try #require(commands.last)
        #expect(throws: BindingError.unbound(.rootfsUpperDir, purpose: "mount the overlay root from the container's layers")) {
            try mount.bind(facts)
        }
    }
}
