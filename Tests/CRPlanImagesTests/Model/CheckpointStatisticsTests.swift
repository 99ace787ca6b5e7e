import CRPlanImages
import Foundation
import Testing

@Suite("CheckpointStatistics: summary and JSON")
struct CheckpointStatisticsTests {
    static let sample = CheckpointStatistics(
        dump: .init(
            freezingMicroseconds: 912, frozenMicroseconds: 182_449, memoryDumpMicroseconds: 3_050, memoryWriteMicroseconds: 4_951,
            pagesScanned: 105, pagesSkippedParent: 0, pagesWritten: 36, pagesLazy: 0, pagePipes: 2, pagePipeBuffers: 2),
        restore: .init(forkingMicroseconds: 2_000, restoreMicroseconds: 41_230, pagesCompared: 0, pagesSkippedCopyOnWrite: 0, pagesRestored: 36))

    @Test("the summary gives frozen time, pages and restore time in one line")
    func summary() {
        #expect(
            Self.sample.summary
                == "dump: frozen 182.4 ms (freezing 0.9 ms, memdump 3.1 ms, memwrite 5.0 ms), 36 of 105 pages written; "
                + "restore: 41.2 ms (forking 2.0 ms), 36 pages restored")
        #expect(CheckpointStatistics().summary == "no CRIU statistics")
        #expect(CheckpointStatistics(dump: Self.sample.dump).summary.hasPrefix("dump: frozen 182.4 ms"))
    }

    @Test("milliseconds round to a tenth")
    func milliseconds() {
        #expect(CheckpointStatistics.milliseconds(0) == "0.0 ms")
        #expect(CheckpointStatistics.milliseconds(49) == "0.0 ms")
        #expect(CheckpointStatistics.milliseconds(50) == "0.1 ms")
        #expect(CheckpointStatistics.milliseconds(1_234_567) == "1234.6 ms")
    }

    @Test("round-trips through JSON with readable keys")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(Self.sample)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"frozenMicroseconds\":182449"))
        #expect(text.contains("\"pagesRestored\":36"))
        #expect(try JSONDecoder().decode(CheckpointStatistics.self, from: data) == Self.sample)
    }
}

@Suite("CheckpointImageSize: kinds and rendering")
struct CheckpointImageSizeTests {
    @Test("pages-*.img are pages, *.log are logs, the rest is other")
    func kinds() {
        #expect(CheckpointImageSize.kind(ofFileNamed: "pages-1.img") == .pages)
        #expect(CheckpointImageSize.kind(ofFileNamed: "pagemap-1.img") == .other)
        #expect(CheckpointImageSize.kind(ofFileNamed: "dump.log") == .log)
        #expect(CheckpointImageSize.kind(ofFileNamed: "stats-dump") == .other)
        var size = CheckpointImageSize()
        size.add(fileNamed: "pages-1.img", bytes: 77_824)
        size.add(fileNamed: "pages-2.img", bytes: 69_632)
        size.add(fileNamed: "core-1.img", bytes: 1_827)
        size.add(fileNamed: "dump.log", bytes: 40_000)
        #expect(size.totalBytes == 189_283)
        #expect(size.summary == "184.8 KiB (pages 144.0 KiB in 2 files, other 1.8 KiB in 1, logs 39.1 KiB)")
    }

    @Test("byte counts pick their unit")
    func bytes() {
        #expect(CheckpointImageSize.bytes(0) == "0 B")
        #expect(CheckpointImageSize.bytes(1023) == "1023 B")
        #expect(CheckpointImageSize.bytes(1024) == "1.0 KiB")
        #expect(CheckpointImageSize.bytes(5 << 30) == "5.0 GiB")
    }
}

@Suite("CheckpointProcess.TaskState")
struct TaskStateTests {
    @Test("CRIU's numbers map to names, and names round-trip through JSON")
    func states() throws {
        #expect(CheckpointProcess.TaskState(rawValue: 1) == .alive)
        #expect(CheckpointProcess.TaskState(rawValue: 6) == .zombie)
        #expect(CheckpointProcess.TaskState(rawValue: 0x81) == .thread)
        #expect(CheckpointProcess.TaskState(rawValue: 42) == .unknown(42))
        for state in [CheckpointProcess.TaskState.alive, .stopped, .unknown(42)] {
            let data = try JSONEncoder().encode([state])
            #expect(try JSONDecoder().decode([CheckpointProcess.TaskState].self, from: data) == [state])
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CheckpointProcess.TaskState].self, from: Data(#"["sleeping"]"#.utf8))
        }
    }
}
