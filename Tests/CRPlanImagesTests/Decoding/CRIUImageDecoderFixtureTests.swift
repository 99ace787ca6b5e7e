import CRPlanImages
import Testing

/// Real images: a crplan external roundtrip and a `docker checkpoint create`
/// of the counter container on the e2e host (CRIU 4.1.1, x86_64).
@Suite("CRIU image decoder: real images from the e2e host")
struct CRIUImageDecoderFixtureTests {
    @Test("stats-dump: dump statistics as CRIU recorded them")
    func statsDump() throws {
        let statistics = try CRIUImageDecoder.statistics(try Fixture.bytes("external/stats-dump"), file: "stats-dump")
        let dump = try #require(statistics.dump)
        #expect(statistics.restore == nil)
        #expect(dump.freezingMicroseconds == 8_631)
        #expect(dump.frozenMicroseconds == 1_598_669)
        #expect(dump.memoryDumpMicroseconds == 8_624)
        #expect(dump.memoryWriteMicroseconds == 361)
        #expect(dump.pagesScanned == 48)
        #expect(dump.pagesSkippedParent == 0)
        #expect(dump.pagesWritten == 34)
        #expect(dump.pagesLazy == 0)
        #expect(dump.pagePipes == 8 && dump.pagePipeBuffers == 8)
        #expect(dump.irmapResolveMicroseconds == 0)
        #expect(dump.sharedPagesScanned == 0 && dump.sharedPagesWritten == 0)
        // The frozen time covers freezing, memdump and memwrite.
        #expect(dump.frozenMicroseconds > dump.memoryDumpMicroseconds + dump.memoryWriteMicroseconds)
    }

    @Test("stats-restore: restore statistics; the pages restored match the pages written")
    func statsRestore() throws {
        let restore = try #require(try CRIUImageDecoder.statistics(try Fixture.bytes("external/stats-restore"), file: "stats-restore").restore)
        #expect(restore.pagesCompared == 9)
        #expect(restore.pagesSkippedCopyOnWrite == 2)
        #expect(restore.forkingMicroseconds == 873)
        #expect(restore.restoreMicroseconds == 716_557)
        #expect(restore.pagesRestored == 32)
    }

    @Test("pstree.img: the counter's shell as pid 1 and its sleep as a child")
    func processTree() throws {
        let tree = try CRIUImageDecoder.processTree(try Fixture.bytes("external/pstree.img"), file: "pstree.img")
        #expect(tree.map(\.pid) == [1, 55])
        #expect(tree.map(\.parentPID) == [0, 1])
        #expect(tree.allSatisfy { $0.processGroupID == 1 && $0.sessionID == 1 })
        #expect(tree.map(\.threads) == [[1], [55]])
        let native = try CRIUImageDecoder.processTree(try Fixture.bytes("native/pstree.img"), file: "pstree.img")
        #expect(native.map(\.pid) == [1, 39])
    }

    @Test("core-<pid>.img: command, state and architecture")
    func core() throws {
        let shell = try CRIUImageDecoder.core(try Fixture.bytes("external/core-1.img"), file: "core-1.img")
        #expect(shell.command == "sh")
        #expect(shell.state == .alive)
        #expect(shell.exitCode == 0)
        #expect(shell.architecture == "x86_64")
        let sleep = try CRIUImageDecoder.core(try Fixture.bytes("external/core-55.img"), file: "core-55.img")
        #expect(sleep.command == "sleep")
        #expect(sleep.state == .alive)
        let native = try CRIUImageDecoder.core(try Fixture.bytes("native/core-1.img"), file: "core-1.img")
        #expect(native.command == "sh")
    }

    @Test("inventory.img: image version 2 (images with the common magic), no LSM")
    func inventory() throws {
        for name in ["external/inventory.img", "native/inventory.img"] {
            let inventory = try CRIUImageDecoder.inventory(try Fixture.bytes(name), file: name)
            #expect(inventory.imageVersion == 2)
            #expect(inventory.securityModule == "none")
        }
    }
}
