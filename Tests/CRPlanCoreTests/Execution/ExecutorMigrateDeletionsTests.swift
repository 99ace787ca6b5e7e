import Foundation
import Testing
@testable import CRPlanCore

/// Many deletions on an overlay2 target, on the recording test doubles: the
/// removal, the whiteouts and their count run as several printed commands
/// (`ArgumentBatches`), each short enough for a remote shell; apply-changes
/// adds the counts up and fails when the target holds fewer than it made.
@Suite struct ExecutorMigrateDeletionsTests {
    static let deleted = (0..<1500).map { "/var/cache/some-package-with-a-long-name/entry-\($0).dat" }

    /// The migrate world with an overlay2 target, a docker diff of `deleted`,
    /// and a `find … -printf x` that prints one `x` per path it selects (`missing` fewer in the first batch).
    static func world(missing: Int = 0) -> FakeWorld {
        var world = ExecutorMigrateTests.world()
        let diff = deleted.map { "D " + $0 + "\n" }.joined()
        let inspect = """
            [{"Id": "\(MigrationFake.targetID)", "State": {"Running": false, "Pid": 0, "Status": "created"}, \
            "GraphDriver": {"Name": "overlay2", "Data": null}, "Path": "/bin/sh", "Args": ["-c", "x"]}]
            """
        world.handlers.insert(.init(name: "target docker inspect (overlay2, before the start)", matches: {
            MigrationFake.onTarget($0, "inspect", "--type", "container")
        }) { world, invocation in
            guard MigrationFake.target(world).created else { return MigrationFake.noSuch("container") }
            // After the start, the fake's own (running) answer.
            guard !MigrationFake.target(world).running else {
                return MigrationFake.targetHandlers()[1].respond(&world, invocation)
            }
            return CommandResult(status: .exited(0), standardOutput: inspect)
        }, at: 0)
        world.handlers.insert(.init(name: "docker diff (many deletions)", matches: { MigrationFake.onSource($0, "diff") }) { _, _ in
            CommandResult(status: .exited(0), standardOutput: diff)
        }, at: 0)
        world.write("/fake-missing", String(missing))
        world.handlers.insert(.init(name: "find -printf x (the count)", matches: { $0.first == "find" && $0.last == "x" }) { world, invocation in
            let selected = invocation.argv.filter { $0 == "-path" }.count
            let missing = Int(String(decoding: world.files["/fake-missing"] ?? [], as: UTF8.self)) ?? 0
            world.write("/fake-missing", "0")
            return CommandResult(status: .exited(0), standardOutput: String(repeating: "x", count: max(0, selected - missing)))
        }, at: 0)
        return world
    }

    @Test func manyDeletionsRunAsBatchesWhoseCountsAddUp() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.plan())
        let host = FakeHost(Self.world())
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        let removals = ran.filter { $0.first == "find" && $0.contains("rm") }
        let whiteouts = ran.filter { $0.first == "find" && $0.contains("mknod") }
        let counts = ran.filter { $0.first == "find" && $0.last == "x" }
        #expect(removals.count > 1 && whiteouts.count > 1 && counts.count > 1)
        for argv in removals + whiteouts + counts {
            #expect(try RemoteShellQuoting.commandLine(argv).utf8.count <= RemoteShellQuoting.maximumLineLength)
        }
        let root = MigrationFake.targetHome + "/overlay2/" + MigrationFake.mountID + "/diff"
        let removed = removals.flatMap { argv in argv.indices.filter { argv[$0] == "-path" }.map { argv[$0 + 1] } }
        #expect(removed == Self.deleted.sorted().map { root + $0 }, "each deleted path removed once, in order")
        #expect(whiteouts.flatMap { $0.filter { $0.hasPrefix("{}/") } }.count == Self.deleted.count)
    }

    @Test func aWhiteoutMissingInOneBatchFailsTheStep() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.plan())
        let host = FakeHost(Self.world(missing: 1))
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .rolledBack, "\(report.error ?? "")")
        #expect(report.failedStep == .applyChanges)
        #expect((report.error ?? "").contains("holds \(Self.deleted.count - 1) of the \(Self.deleted.count) whiteouts"), "\(report.error ?? "")")
    }
}
