import CRPlanCore
import Foundation
import Testing

/// The compiled `dump` and `restore` argv of the wiki's AUFS example must be
/// the wiki's command lines, flag for flag.
@Suite struct WikiGoldenArgvTests {
    let graph: StepGraph

    init() throws {
        graph = try Planner(environment: [:]).compile(PlanningFixtures.wikiPlan())
    }

    /// The wiki's command starting with `$ sudo <prefix>`, tokenized like a
    /// shell would, `<container_id>` replaced with the test's id.
    private func wikiCommand(_ prefix: String) throws -> [String] {
        let text = try String(contentsOf: PlanningFixtures.fixtureURL("wiki/docker-external-commands.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("$ sudo " + prefix) }, "no `\(prefix)` in the wiki excerpt")
        let end = try #require(lines[start...].dropFirst().firstIndex { $0 == "$" })
        return lines[start..<end]
            .joined(separator: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" })
            .map(String.init)
            .filter { $0 != "\\" }
            .dropFirst(2) // "$", "sudo"
            .map { $0.replacing("<container_id>", with: PlanningFixtures.wikiID) }
    }

    @Test func dumpReproducesTheWikiFlagForFlag() throws {
        let expected = try wikiCommand("criu dump")
        #expect(expected.count == 21)
        #expect(try graph.argv(.dump, facts: PlanningFixtures.wikiFacts) == [expected])
    }

    @Test func restoreReproducesTheWikiThenAddsTheCRIUPidfile() throws {
        // The wiki's restore has no --pidfile; docker_cr.sh adds one. crplan's is
        // CRIU's own (opened O_EXCL); write-pidfile then writes the plan's.
        let expected = try wikiCommand("criu restore")
            + ["--pidfile", "/tmp/img/\(PlanningFixtures.wikiID)/criu-restore.pid"]
        #expect(expected.count == 22)
        #expect(try graph.argv(.restore, facts: PlanningFixtures.wikiFacts) == [expected])
    }

    @Test func aufsMountUsesTheWikiBranchList() throws {
        // The wiki's `br=\` continuation lines end in `:` before `none`, an artifact
        // of its line wrapping; the branch list itself is joined with `:`.
        let root = "/var/lib/docker/aufs/mnt/\(PlanningFixtures.wikiID)"
        let branches = PlanningFixtures.wikiBranches.joined(separator: ":")
        #expect(try graph.argv(.rebuildRootfs, facts: PlanningFixtures.wikiFacts) == [
            ["mkdir", "-p", root],
            ["mount", "-t", "aufs", "-o", "br=" + branches, "none", root],
        ])
        #expect(branches.hasPrefix("/var/lib/docker/aufs/diff/\(PlanningFixtures.wikiID):/var/lib/docker/aufs/diff/\(PlanningFixtures.wikiID)-init:"))
        #expect(branches.hasSuffix(":/var/lib/docker/aufs/diff/511136ea3c5a64f264b78b5433614aec563103b4d4702f3ba7d4d2698e22c158"))
    }

    @Test func pidfilesFollowDockerCRSh() throws {
        let write = try #require(graph.step(.writePidfile))
        #expect(write.produces == ["/tmp/img/${container.id}/restore.pid"])
        #expect(write.undo == .removeFile("/tmp/img/${container.id}/restore.pid"))
        #expect(write.inputs == ["/tmp/img/${container.id}/criu-restore.pid"])
        let restore = try #require(graph.step(.restore))
        #expect(restore.commands.first?.guards == [.clearStaleFile(path: "/tmp/img/${container.id}/criu-restore.pid")])
    }

    @Test func cgroupMountsAreDeclaredExternalBeforeTheCgroupFlags() throws {
        var facts = PlanningFixtures.wikiFacts
        facts.cgroupMounts = [CgroupMount(path: "/sys/fs/cgroup/cpu", hostPath: "/sys/fs/cgroup/cpu/docker/" + facts.id)]
        let dump = try #require(try graph.argv(.dump, facts: facts).first)
        let index = try #require(dump.firstIndex(of: "--manage-cgroups"))
        #expect(Array(dump[(index - 2)..<index]) == ["--ext-mount-map", "/sys/fs/cgroup/cpu:/sys/fs/cgroup/cpu"])
        let restore = try #require(try graph.argv(.restore, facts: facts).first)
        #expect(restore.contains("/sys/fs/cgroup/cpu:/sys/fs/cgroup/cpu/docker/" + facts.id))
    }
}
