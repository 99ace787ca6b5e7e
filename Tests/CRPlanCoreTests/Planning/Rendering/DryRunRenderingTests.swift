import CRPlanCore
import Foundation
import Testing

/// Every dry-run format, pinned by golden files: symbolic (runtime values
/// as `${...}`) and bound to container facts.
@Suite struct DryRunRenderingTests {
    private func wikiGraph() throws -> StepGraph {
        try Planner(environment: [:]).compile(PlanningFixtures.wikiPlan())
    }

    @Test(arguments: DryRunFormat.allCases)
    func wikiSymbolic(_ format: DryRunFormat) throws {
        let output = try DryRunRenderer().render(wikiGraph(), as: format)
        try GoldenFile.check(output, named: "wiki-aufs.\(format.rawValue)")
    }

    @Test func wikiBoundToFactsPrintsTheWikiCommands() throws {
        let output = try DryRunRenderer(facts: PlanningFixtures.wikiFacts).render(wikiGraph(), as: .text)
        try GoldenFile.check(output, named: "wiki-aufs.bound.text")
        let id = PlanningFixtures.wikiID
        #expect(output.contains(
            "$ criu dump -o dump.log -v4 -t 17810 -D /tmp/img/\(id) --root /var/lib/docker/aufs/mnt/\(id) "
                + "--ext-mount-map /etc/resolv.conf:/etc/resolv.conf --ext-mount-map /etc/hosts:/etc/hosts "
                + "--ext-mount-map /etc/hostname:/etc/hostname --ext-mount-map /.dockerinit:/.dockerinit "
                + "--manage-cgroups --evasive-devices\n"
        ))
        #expect(!output.contains("${"))
    }

    @Test func autoDriverShowsEveryAlternativeUntilBound() throws {
        let graph = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan())
        let symbolic = try DryRunRenderer().render(graph, as: .text)
        try GoldenFile.check(symbolic, named: "counter-auto-roundtrip.text")
        #expect(symbolic.contains("if the storage driver is overlay2 or overlay:"))
        #expect(symbolic.contains("if the storage driver is vfs:"))

        let bound = try DryRunRenderer(facts: PlanningFixtures.vfsFacts).render(graph, as: .text)
        try GoldenFile.check(bound, named: "counter-auto-roundtrip.vfs.text")
        #expect(!bound.contains("if the storage driver"))
        #expect(bound.contains("$ mount --bind /srv/docker-vfs/vfs/dir/5d2c1f /srv/docker-vfs/vfs/dir/5d2c1f\n"))
    }

    @Test func restoreOnlyAndNative() throws {
        let restore = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan(operation: .restore, driver: .overlay2))
        try GoldenFile.check(try DryRunRenderer().render(restore, as: .text), named: "counter-overlay2-restore.text")
        let native = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan(mode: .native))
        try GoldenFile.check(try DryRunRenderer().render(native, as: .text), named: "counter-native-roundtrip.text")
        try GoldenFile.check(try DryRunRenderer().render(native, as: .mermaid), named: "counter-native-roundtrip.mermaid")
    }

    @Test func jsonIsTheGraphAsData() throws {
        let graph = try wikiGraph()
        let output = try DryRunRenderer().render(graph, as: .json)
        let decoded = try JSONDecoder().decode(StepGraph.self, from: Data(output.utf8))
        #expect(decoded == graph)
        // argv reads as strings; the cgroup expansion is marked as such.
        #expect(output.contains(#""-t","#) || output.contains(#""-t""#))
        #expect(output.contains(#""expand" : "cgroupExtMounts""#))
    }

    @Test func boundJSONHasNoSymbolsLeft() throws {
        let output = try DryRunRenderer(facts: PlanningFixtures.overlay2Facts)
            .render(Planner(environment: [:]).compile(PlanningFixtures.counterPlan()), as: .json)
        let graph = try JSONDecoder().decode(StepGraph.self, from: Data(output.utf8))
        for step in graph.steps {
            #expect(step.alternatives.isEmpty)
            for command in step.commands {
                #expect(command.arguments.allSatisfy { if case .value(let t) = $0 { t.isLiteral } else { false } })
            }
        }
        // Every path the steps use is bound too.
        #expect(graph.step(.dump)?.paths.imageDir?.isLiteral == true)
    }

    @Test func bindingErrorsAreReported() throws {
        var facts = PlanningFixtures.overlay2Facts
        facts.driver = "zfs"
        let graph = try Planner(environment: [:]).compile(PlanningFixtures.counterPlan())
        #expect(throws: DryRunError.binding(.unservedDriver("zfs", served: ["overlay2", "overlay", "aufs", "vfs"], purpose: "run step rebuild-rootfs"))) {
            try DryRunRenderer(facts: facts).render(graph, as: .text)
        }
    }

    @Test func argumentsThatNeedItAreSingleQuoted() throws {
        var plan = try PlanningFixtures.counterPlan(operation: .checkpoint)
        plan.imageDir = "/srv/check points/${container.id}"
        plan.criu.extraArgs = ["--lsm-profile=apparmor:it's"]
        let output = try DryRunRenderer().render(Planner(environment: [:]).compile(plan), as: .text)
        #expect(output.contains(#" -D '/srv/check points/${container.id}' "#))
        #expect(output.contains(#" '--lsm-profile=apparmor:it'\''s'"#))
        #expect(output.contains(" -t ${container.pid} "))
    }
}
