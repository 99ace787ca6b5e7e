import Foundation
import Testing
@testable import CRPlanCore

/// A migration with `archive`: the source's engine, kernel and CRIU
/// versions are asked by check-target, before the freeze, journaled with
/// the facts, and read from there by write-archive (also on a resume),
/// which runs no probe inside the frozen window (check-archive does the
/// same in a checkpoint plan).
@Suite struct CheckTargetVersionsTests {
    static func isProbe(_ argv: [String]) -> Bool {
        argv == ["uname", "--kernel-release"] || argv.last == "--version" || MigrationFake.onSource(argv, "version")
    }

    static func manifest(_ world: FakeWorld) -> String? {
        world.files.keys.first { $0.hasSuffix("-archive/manifest.json") }.flatMap { world.text($0) }
    }

    @Test func theProbesRunBeforeTheCheckpointAndTheirAnswersReachTheManifest() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.archivePlan())
        #expect(graph.step(.writeArchive)?.commands.contains { $0.literalArgv.map(Self.isProbe) == true } == false)
        let host = FakeHost(ExecutorMigrateTests.world())
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")

        let ran = await host.world.commandsRun
        let probes = ran.indices.filter { Self.isProbe(ran[$0]) }
        let checkpoint = try #require(ran.firstIndex { MigrationFake.onSource($0, "checkpoint", "create") })
        #expect(probes.count == 3, "the probes ran \(probes.count) times")
        #expect(probes.allSatisfy { $0 < checkpoint }, "a probe ran after docker checkpoint create: \(probes) vs \(checkpoint)")
        let manifest = try #require(Self.manifest(await host.world))
        for version in ["20.10.24", "6.1.0-test", "4.1.1"] {
            #expect(manifest.contains("\"\(version)\""), "the manifest lacks \(version): \(manifest)")
        }
        let checkTarget = try #require(report.run.steps.first { $0.step == .checkTarget })
        #expect(checkTarget.outputs["sourceVersions"] == "20.10.24 / 6.1.0-test / 4.1.1")
    }

    @Test func withoutAnArchiveNoVersionIsAsked() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.plan())
        #expect(graph.step(.checkTarget)?.commands.count == 3)
        let host = FakeHost(ExecutorMigrateTests.world())
        #expect(try await Scenario.executor(host).apply(graph).outcome == .succeeded)
        #expect(!(await host.world.commandsRun.contains(where: Self.isProbe)))
    }

    @Test func aFailedProbeLeavesItsVersionOutOfTheManifestAndStopsNothing() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.archivePlan())
        var world = ExecutorMigrateTests.world()
        world.handlers.insert(.init(name: "failing uname", matches: { $0.first == "uname" }) { _, _ in
            CommandResult(status: .exited(1), standardError: "uname: broken")
        }, at: 0)
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let manifest = try #require(Self.manifest(await host.world))
        #expect(!manifest.contains("kernel"), "\(manifest)")
        #expect(manifest.contains("\"4.1.1\""))
    }

    @Test func aResumedWriteArchiveTakesTheVersionsFromTheJournal() async throws {
        let graph = Scenario.compile(ExecutorMigrateTests.archivePlan())
        var world = ExecutorMigrateTests.world()
        // crplan dies as write-archive links the checkpoint into the archive layout (once)
        world.handlers.insert(.init(name: "crash at cp --link", matches: { $0.first == "cp" && $0.contains("--link") }) { world, _ in
            if world.files["/crashed-once"] == nil {
                world.files["/crashed-once"] = []
                world.crashAtSideEffect = world.sideEffects + 1
            }
            return MigrationFake.ok
        }, at: 0)
        let host = FakeHost(world)
        await #expect(throws: (any Error).self) { _ = try await Scenario.executor(host).apply(graph) }
        #expect(Self.manifest(await host.world) == nil, "the crash came after the manifest was written")
        await host.restartAfterCrash()

        let report = try await Scenario.executor(host).resume(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        #expect(await host.world.commandsRun.filter(Self.isProbe).count == 3, "a probe ran again")
        let manifest = try #require(Self.manifest(await host.world))
        for version in ["20.10.24", "6.1.0-test", "4.1.1"] {
            #expect(manifest.contains("\"\(version)\""), "the resumed manifest lacks \(version): \(manifest)")
        }
    }
}

/// `operation: checkpoint` with `archive`: check-archive, the step before
/// the freeze there, asks the versions the same way.
extension CheckTargetVersionsTests {
    @Test func aCheckpointWithAnArchiveAsksTheVersionsInCheckArchive() async throws {
        let graph = Scenario.compile(ExecutorCheckpointArchiveTests.plan())
        #expect(graph.step(.checkArchive)?.commands.map(\.output) == [.engineVersion, .kernelRelease, .criuVersion])
        let host = FakeHost(ExecutorCheckpointArchiveTests.world())
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        let probes = ran.indices.filter { Self.isProbe(ran[$0]) }
        let checkpoint = try #require(ran.firstIndex { MigrationFake.onSource($0, "checkpoint", "create") })
        #expect(probes.count == 3 && probes.allSatisfy { $0 < checkpoint }, "probes at \(probes), checkpoint at \(checkpoint)")
        let manifest = try #require(Self.manifest(await host.world))
        for version in ["20.10.24", "6.1.0-test", "4.1.1"] {
            #expect(manifest.contains("\"\(version)\""), "the manifest lacks \(version): \(manifest)")
        }
    }
}
