@testable import CRPlanCore
import CRPlanImages
import Testing

@Suite("CheckpointImageDir: statistics, sizes and process tree through the host")
struct CheckpointImageDirTests {
    static let dir = "/var/lib/docker/criu_img/abc"

    static func world() -> FakeWorld {
        var world = FakeWorld()
        world.directories["/var"] = 0o755
        world.directories["/var/lib"] = 0o755
        world.directories["/var/lib/docker"] = 0o755
        world.directories["/var/lib/docker/criu_img"] = 0o700
        world.directories[dir] = 0o700
        world.files[dir + "/stats-dump"] = CRIUBytes.statsDump(frozen: 182_000, written: 36)
        world.files[dir + "/pstree.img"] = CRIUBytes.pstree([(1, 0), (39, 1)])
        world.files[dir + "/core-1.img"] = CRIUBytes.core(comm: "sh", state: 1)
        world.files[dir + "/inventory.img"] = CRIUBytes.inventory()
        world.files[dir + "/pages-1.img"] = [UInt8](repeating: 0, count: 8192)
        world.files[dir + "/dump.log"] = Array("(00.000000) Version: 4.1 (gitid 0)\n(00.2) Dumping finished successfully\n".utf8)
        return world
    }

    @Test("reads stats-dump alone, then merges stats-restore when it appears")
    func statistics() async throws {
        let host = FakeHost(Self.world())
        let dumped = try #require(try await CheckpointImageDir.statistics(in: Self.dir, host: host))
        #expect(dumped.dump?.frozenMicroseconds == 182_000)
        #expect(dumped.dump?.pagesWritten == 36)
        #expect(dumped.restore == nil)
        await host.update { $0.files[Self.dir + "/stats-restore"] = CRIUBytes.statsRestore(restored: 36) }
        let both = try #require(try await CheckpointImageDir.statistics(in: Self.dir, host: host))
        #expect(both.dump == dumped.dump)
        #expect(both.restore?.restoreMicroseconds == 41_000)
        #expect(both.restore?.pagesRestored == 36)
    }

    @Test("no statistics files: nil, not an error")
    func noStatistics() async throws {
        let host = FakeHost(Self.world())
        await host.update { $0.files[Self.dir + "/stats-dump"] = nil }
        #expect(try await CheckpointImageDir.statistics(in: Self.dir, host: host) == nil)
    }

    @Test("an oversized stats file is refused before it is read")
    func oversized() async {
        let host = FakeHost(Self.world())
        await host.update {
            $0.files[Self.dir + "/stats-dump"] = [UInt8](repeating: 0, count: 1 << 20)
            // Reading it would fail differently: the size must be checked first.
            $0.injections.append(.init(operation: .readFile, pathContains: "stats-dump", times: -1, error: .io(operation: "read", path: "stats-dump", message: "read")))
        }
        await #expect(throws: ImageDirReadError.image(.fileTooLarge(file: Self.dir + "/stats-dump", size: 1 << 20, limit: 64 << 10))) {
            try await CheckpointImageDir.statistics(in: Self.dir, host: host)
        }
    }

    @Test("sizes by kind: pages, other, logs")
    func size() async throws {
        let host = FakeHost(Self.world())
        let size = try await CheckpointImageDir.size(of: Self.dir, host: host)
        #expect(size.pagesBytes == 8192)
        #expect(size.pagesFiles == 1)
        #expect(size.logFiles == 1)
        #expect(size.otherFiles == 4)
    }

    @Test("the process tree carries each task's command and state; a missing core file is a note")
    func processTree() async throws {
        let host = FakeHost(Self.world())
        let tree = try #require(try await CheckpointImageDir.processTree(in: Self.dir, host: host))
        #expect(tree.map(\.pid) == [1, 39])
        #expect(tree[0].command == "sh")
        #expect(tree[0].state == .alive)
        #expect(tree[1].parentPID == 1)
        #expect(tree[1].command == nil)
        #expect(tree[1].coreProblem == "core-39.img is missing")
    }

    @Test("the report gathers every part; a damaged part is a problem, the rest still shows")
    func report() async throws {
        let host = FakeHost(Self.world())
        await host.update { $0.files[Self.dir + "/inventory.img"] = Array("not an image".utf8) }
        let report = try await CheckpointImageInspector.report(imageDir: Self.dir, host: host)
        #expect(report.criu?.version == "4.1")
        #expect(report.criu?.finishedSuccessfully == true)
        #expect(report.processes?.count == 2)
        #expect(report.statistics?.dump?.pagesWritten == 36)
        #expect(report.inventory == nil)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains("inventory.img: not the CRIU image expected here") == true)
        let text = CheckpointImageReportText.render(report)
        #expect(text.contains("CRIU 4.1"))
        #expect(text.contains("sh"))
        #expect(text.contains("dump: frozen 182.0 ms"))
        #expect(text.contains("could not read:"))
    }

    @Test("a refused process tree and stats file are said to be unreadable, not missing")
    func hostileParts() async throws {
        let host = FakeHost(Self.world())
        await host.update {
            // A size prefix of 4 GiB, and a file shorter than its header.
            $0.files[Self.dir + "/pstree.img"] = CRIUBytes.u32(0x5456_4319) + CRIUBytes.u32(0x5027_3030) + CRIUBytes.u32(0xFFFF_FFFF)
            $0.files[Self.dir + "/stats-dump"] = [0x40, 0x59]
        }
        let report = try await CheckpointImageInspector.report(imageDir: Self.dir, host: host)
        #expect(report.processes == nil && report.statistics == nil)
        #expect(report.problems.count == 2, "\(report.problems)")
        let text = CheckpointImageReportText.render(report)
        #expect(text.contains("process tree: pstree.img could not be read (see below)"))
        #expect(text.contains("statistics: CRIU's statistics could not be read (see below)"))
        #expect(text.contains("pstree.img: the entry at byte 8 announces 4294967295 bytes"))
    }

    @Test("a path that is not a directory is refused")
    func notADirectory() async {
        let host = FakeHost(Self.world())
        await #expect(throws: ImageDirReadError.self) {
            try await CheckpointImageInspector.report(imageDir: Self.dir + "/dump.log", host: host)
        }
    }
}

@Suite("CheckpointImageDir.measure: what the executor journals")
struct CheckpointMeasureTests {
    @Test("statistics and size together, with the end-of-apply line")
    func measure() async {
        let host = FakeHost(CheckpointImageDirTests.world())
        let measured = await CheckpointImageDir.measure(imageDir: CheckpointImageDirTests.dir, host: host)
        #expect(measured.problems.isEmpty)
        #expect(measured.statistics?.dump?.pagesWritten == 36)
        #expect(measured.size?.pagesBytes == 8192)
        #expect(measured.summary.hasPrefix("frozen 182.0 ms, 36 pages written, images "))
    }

    @Test("a damaged stats file is a problem, not an error; the size is still measured")
    func damaged() async {
        let host = FakeHost(CheckpointImageDirTests.world())
        await host.update { $0.files[CheckpointImageDirTests.dir + "/stats-dump"] = [1, 2, 3] }
        let measured = await CheckpointImageDir.measure(imageDir: CheckpointImageDirTests.dir, host: host)
        #expect(measured.statistics == nil)
        #expect(measured.size != nil)
        #expect(measured.problems.count == 1)
        #expect(measured.problems.first?.contains("stats-dump: truncated") == true)
    }
}

@Suite("CheckpointImageReportText")
struct CheckpointImageReportTextTests {
    @Test("children are indented under their parents; a cycle or long chain of parents stays bounded")
    func depths() {
        let tree = [
            CheckpointProcess(pid: 1, parentPID: 0, processGroupID: 1, sessionID: 1, threads: [1]),
            CheckpointProcess(pid: 7, parentPID: 1, processGroupID: 1, sessionID: 1, threads: [7]),
            CheckpointProcess(pid: 9, parentPID: 7, processGroupID: 1, sessionID: 1, threads: [9]),
        ]
        #expect(CheckpointImageReportText.depths(of: tree) == [1: 0, 7: 1, 9: 2])
        let cycle = [
            CheckpointProcess(pid: 2, parentPID: 3, processGroupID: 1, sessionID: 1, threads: [2]),
            CheckpointProcess(pid: 3, parentPID: 2, processGroupID: 1, sessionID: 1, threads: [3]),
        ]
        #expect(CheckpointImageReportText.depths(of: cycle) == [2: 16, 3: 16])
        let chain = (1...65_536).map { CheckpointProcess(pid: $0, parentPID: $0 - 1, processGroupID: 1, sessionID: 1, threads: [$0]) }
        let depths = CheckpointImageReportText.depths(of: chain)
        #expect(depths[65_536] == 16)
        #expect(depths[3] == 2)
    }
}
