import Foundation
import Testing
@testable import CRPlanCore

/// `operation: restore` with `archive` on the recording test double: the
/// archive is checked, listed, unpacked and verified before any docker
/// command runs; a failure before start-target removes the created container
/// and the run's staging dir (never the archive); a resume after a crash at
/// any point finishes with one started container.
@Suite struct ExecutorRestoreArchiveTests {
    static let archive = "/kept/web.tar.zst"
    static let staging = "/staging"

    static func plan() -> String {
        """
        version: 1
        name: web
        container: \(Scenario.name)
        operation: restore
        archive: \(archive)
        docker:
          host: \(MigrationFake.targetSocket)
          home: \(MigrationFake.targetHome)
        storage:
          driver: vfs
        imageDir: \(staging)
        restore:
          checkpoint: mig-1

        """
    }

    /// The archive's members as a migrate with `archive` writes them (`tamper` changes facts.json after the manifest was made).
    static func members(tamper: Bool = false, rootMode: String = "755") throws -> [String: [UInt8]] {
        var facts = MigrationFake.finishedFacts(Scenario.facts())
        facts.rootMode = rootMode
        facts.runID = "20261130T000000Z-0000"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var members: [String: [UInt8]] = [
            "container/facts.json": Array(try encoder.encode(facts)),
            "container/config.json": Array(try encoder.encode(try #require(MigrationFake.configuration()))),
            "rootfs/deleted.json": Array("[]".utf8),
            "rootfs/changes.tar": Array("changes".utf8),
            "checkpoint/inventory.img": Array("inventory".utf8),
        ]
        let records = members.map { ArchiveFileRecord(path: $0.key, size: Int64($0.value.count), sha256: ArchiveDigest.hex($0.value)) }
        let manifest = ArchiveManifest(crplanVersion: "test", createdAt: "2026-11-30T00:00:00Z", source: ArchiveSource(engine: "docker"), files: records)
        members["manifest.json"] = try manifest.encoded()
        if tamper { members["container/facts.json"]?.append(0x20) }
        return members
    }

    /// GNU tar's verbose listing of `members` (folders first).
    static func listing(_ members: [String: [UInt8]]) -> String {
        let folders = Set(members.keys.compactMap { $0.contains("/") ? String($0.prefix { $0 != "/" }) : nil }).sorted()
        return (folders.map { "drwx------ 0/0 0 2026-11-30 00:00:00 \"\($0)/\"\n" }
            + members.keys.sorted().map { "-rw------- 0/0 \(members[$0]?.count ?? 0) 2026-11-30 00:00:00 \"\($0)\"\n" }).joined()
    }

    /// The restore's world: the target engine of `MigrationFake` (with the image), the archive in a root-owned
    /// folder, and the programs open-archive runs (`stat`, `df`, `zstd | head | tar`).
    static func world(
        members: [String: [UInt8]], archive: String = Self.archive, archiveOwner: Int = 0, freeBytes: Int64 = 1 << 40, failStart: Bool = false
    ) -> FakeWorld {
        var world = MigrationFake.world(Scenario.world(), containerID: Scenario.containerID, targetHasImage: true, failStart: failStart)
        world.makeParent(of: archive)
        world.files[archive] = Array("zstd".utf8)
        let handlers: [FakeWorld.CommandHandler] = [
            .init(name: "stat of the archive's path", matches: { $0.first == "stat" && $0.contains("--format=%F:%u:%a:%s") }) { world, invocation in
                let paths = invocation.argv.drop { $0 != "--" }.dropFirst()
                let lines = paths.map { path -> String in
                    if let mode = world.directories[path] { return "directory:0:\(String(mode, radix: 8)):4096" }
                    if let bytes = world.files[path] { return "regular file:\(path == archive ? archiveOwner : 0):600:\(bytes.count)" }
                    return "missing:0:0:0"
                }
                return CommandResult(status: .exited(0), standardOutput: lines.map { $0 + "\n" }.joined())
            },
            .init(name: "target docker info (driver)", matches: { MigrationFake.onTarget($0, "info", "--format", "{{.Driver}}") }) { _, _ in
                CommandResult(status: .exited(0), standardOutput: "vfs\n")
            },
            .init(name: "rm --recursive", matches: { $0.starts(with: ["rm", "--recursive", "--force", "--"]) }) { world, invocation in
                for path in invocation.argv.dropFirst(4) {
                    for key in world.files.keys where key.hasPrefix(path + "/") { world.files[key] = nil }
                    for key in world.directories.keys where key == path || key.hasPrefix(path + "/") { world.directories[key] = nil }
                }
                return MigrationFake.ok
            },
            .init(name: "df", matches: { $0.first == "df" }) { _, _ in
                CommandResult(status: .exited(0), standardOutput: "Avail\n\(freeBytes)\n")
            },
            .init(name: "head", matches: { $0.first == "head" }) { _, _ in MigrationFake.ok },
            .init(name: "zstd -d", matches: { $0.first == "zstd" && $0.contains("--decompress") }) { _, _ in MigrationFake.ok },
            .init(name: "tar --list", matches: { $0.first == "tar" && $0.contains("--list") }) { _, _ in
                CommandResult(status: .exited(0), standardOutput: listing(members))
            },
            .init(name: "tar --extract of the archive", matches: { $0.first == "tar" && $0.contains("--file=-") }) { world, invocation in
                guard let directory = invocation.argv.first(where: { $0.hasPrefix("--directory=") })?.dropFirst("--directory=".count) else {
                    return CommandResult(status: .exited(2))
                }
                for (name, bytes) in members { world.writeBytes(directory + "/" + name, bytes) }
                return MigrationFake.ok
            },
        ]
        world.handlers = handlers + world.handlers
        return world
    }

    static let steps: [StepKind] = [.openArchive, .checkTarget, .createTarget, .applyChanges, .copyCheckpoint, .startTarget, .verifyMigration]

    static func isDocker(_ argv: [String]) -> Bool { argv.first?.hasSuffix("docker") == true }

    @Test func theArchiveIsOpenedBeforeDockerAndTheContainerStartsFromIt() async throws {
        let graph = Scenario.compile(Self.plan())
        #expect(graph.steps.map(\.kind) == Self.steps)
        let host = FakeHost(Self.world(members: try Self.members()))
        let recorder = EventRecorder()
        let report = try await Scenario.executor(host, observer: recorder).apply(graph)
        #expect(report.outcome == .succeeded, "\(report.error ?? "")")
        let ran = await host.world.commandsRun
        let firstDocker = try #require(ran.firstIndex(where: Self.isDocker))
        let extract = try #require(ran.firstIndex { $0.first == "tar" && $0.contains("--extract") && $0.contains("--file=-") })
        #expect(extract < firstDocker, "a docker command ran before the archive was unpacked and verified")
        let runID = try #require(recorder.events.first?.runID)
        let staging = Self.staging + "/" + runID
        #expect(ran.contains { $0.first == "tar" && $0.contains(staging + "/rootfs/changes.tar") }, "the archive's changes were not applied")
        #expect(ran.contains { $0.first == "cp" && $0.contains(staging + "/checkpoint") })
        #expect(ran.contains { $0.first == "chmod" && $0.contains("755") })
        #expect(ran.filter { MigrationFake.onTarget($0, "start", "--checkpoint") }.count == 1)
        #expect(MigrationFake.target(await host.world).running)
        // the unpack bound: 64 times the archive's size, at least 256 MiB, plus one
        #expect(ran.contains { $0 == ["head", "--bytes", String(ArchiveOpening.unpackBound(archiveSize: 4))] })
        #expect(await host.world.files[Self.archive] != nil, "the archive is kept")
    }

    @Test(arguments: [
        ("an archive owned by uid 1000", 1000, Int64(1) << 40, false, "owned by uid 1000"),
        ("too little free space", 0, Int64(1) << 20, false, "bytes free"),
        ("a tampered member", 0, Int64(1) << 40, true, "container/facts.json"),
    ])
    func aHostileArchiveIsRefusedBeforeAnyDockerCommand(_ label: String, owner: Int, free: Int64, tamper: Bool, message: String) async throws {
        let graph = Scenario.compile(Self.plan())
        let host = FakeHost(Self.world(members: try Self.members(tamper: tamper), archiveOwner: owner, freeBytes: free))
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.outcome == .rolledBack, "\(label): \(report.error ?? "")")
        #expect(report.failedStep == .openArchive, "\(label)")
        #expect(report.error?.contains(message) == true, "\(label): \(report.error ?? "")")
        let ran = await host.world.commandsRun
        #expect(!ran.contains(where: Self.isDocker), "\(label): a docker command ran: \(ran.filter(Self.isDocker))")
        #expect(!MigrationFake.target(await host.world).created)
        let left = await host.world.files.keys.filter { $0.hasPrefix(Self.staging + "/") }
        #expect(left.isEmpty, "\(label): the staging dir keeps \(left)")
        #expect(await host.world.files[Self.archive] != nil, "the archive is kept")
    }

    @Test func aMissingImageIsRefusedNamingItsIDAndHowToCarryIt() async throws {
        let graph = Scenario.compile(Self.plan())
        var world = Self.world(members: try Self.members())
        MigrationFake.setTarget(&world) { $0.hasImage = false }
        let host = FakeHost(world)
        let report = try await Scenario.executor(host).apply(graph)
        #expect(report.failedStep == .checkTarget)
        #expect(report.error?.contains(MigrationFake.image) == true && report.error?.contains("docker save") == true
            && report.error?.contains("docker load") == true, "\(report.error ?? "")")
        #expect(!MigrationFake.target(await host.world).created)
        #expect(await host.world.files.keys.filter { $0.hasPrefix(Self.staging + "/") }.isEmpty)
    }

    @Test(arguments: ["chmod", "cp --archive", "start --checkpoint"])
    func aFailureBeforeTheStartRemovesTheContainerAndTheStagingDir(_ failing: String) async throws {
        let graph = Scenario.compile(Self.plan())
        var world = Self.world(members: try Self.members(), failStart: failing == "start --checkpoint")
        if failing != "start --checkpoint" { world.fail(.run, pathContains: failing, times: 1) }
        let host = FakeHost(world)
        let recorder = EventRecorder()
        let report = try await Scenario.executor(host, observer: recorder).apply(graph)
        #expect(report.outcome == .rolledBack, "\(failing): \(report.error ?? "")")
        let rolledBack = recorder.events.filter { $0.kind == .stepRolledBack }.compactMap(\.step)
        #expect(rolledBack == [.createTarget, .openArchive], "\(failing)")
        #expect(!MigrationFake.target(await host.world).created, "\(failing): the created container is left")
        let ran = await host.world.commandsRun
        let runID = try #require(recorder.events.first?.runID)
        #expect(ran.contains(["rm", "--recursive", "--force", "--", Self.staging + "/" + runID]), "\(failing): the staging dir is left")
        #expect(!ran.contains { $0.first == "rm" && $0.contains(Self.archive) })
        #expect(await host.world.files[Self.archive] != nil)
    }

    /// `crplan resume`, or nil when it finds no run to resume.
    static func resume(_ graph: StepGraph, on host: FakeHost) async -> RunReport? {
        do {
            return try await Scenario.executor(host).resume(graph)
        } catch {
            return nil
        }
    }

    @Test func aResumeAfterACrashAnywhereFinishesWithOneStartedContainer() async throws {
        let graph = Scenario.compile(Self.plan())
        var crashAt = 1
        var finished = false
        while !finished, crashAt < 400 {
            var world = Self.world(members: try Self.members())
            world.crashAtSideEffect = crashAt
            let host = FakeHost(world)
            do {
                let report = try await Scenario.executor(host).apply(graph)
                if report.outcome == .succeeded, await !host.world.crashed {
                    finished = true
                    break
                }
            } catch {}
            await host.restartAfterCrash()
            guard let resumed = await Self.resume(graph, on: host) else {
                // crashed before the run was journaled (resume finds no run): nothing happened
                #expect(await !host.world.commandsRun.contains(where: Self.isDocker), "crash at \(crashAt)")
                crashAt += 1
                continue
            }
            #expect(resumed.outcome == .succeeded, "crash at \(crashAt): \(resumed.error ?? "")")
            let ran = await host.world.commandsRun
            #expect(ran.filter { MigrationFake.onTarget($0, "start", "--checkpoint") }.count == 1, "crash at \(crashAt): started twice")
            #expect(MigrationFake.target(await host.world).running, "crash at \(crashAt)")
            // the changes are applied after the last docker create, i.e. only to the container this run finally made
            let lastCreate = try #require(ran.lastIndex { MigrationFake.onTarget($0, "create") })
            let applies = ran.indices.filter { ran[$0].first == "tar" && ran[$0].contains("--directory") && ran[$0].contains(where: { $0.hasSuffix("/rootfs/changes.tar") }) }
            #expect(!applies.isEmpty && applies.allSatisfy { $0 > lastCreate }, "crash at \(crashAt): changes applied at \(applies), create at \(lastCreate)")
            crashAt += 1
        }
        #expect(finished, "the run never got past the crash points")
        #expect(crashAt > 20, "too few crash points were tried: \(crashAt)")
    }
}
