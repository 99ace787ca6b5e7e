import Testing
@testable import CRPlanCore

@Suite struct JournalTests {
    static let start = JournalRecord.runStarted(.init(
        runID: "r1", planName: "web", planDigest: "sha256:00", operation: .roundtrip, mode: .external,
        container: "web", steps: [.inspect, .dump], crplanVersion: "test", at: Timestamp(millisecondsSinceEpoch: 1)
    ))
    static let started = JournalRecord.stepStarted(.init(step: .inspect, attempt: 1, at: Timestamp(millisecondsSinceEpoch: 2)))
    static let succeeded = JournalRecord.stepSucceeded(.init(
        step: .inspect, outputs: ["containerID": "abc", "path": "/a/b"], durationMilliseconds: 5, probed: false, at: Timestamp(millisecondsSinceEpoch: 3)
    ))

    func lines(_ records: [JournalRecord]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, record) in records.enumerated() {
            bytes += try JournalLine.encode(record, seq: index + 1)
        }
        return bytes
    }

    @Test func roundTripsRecords() throws {
        let bytes = try lines([Self.start, Self.started, Self.succeeded])
        let contents = try JournalReader.parse(bytes, path: "/j")
        #expect(contents.records == [Self.start, Self.started, Self.succeeded])
        #expect(contents.tornLine == nil)
        #expect(contents.validLength == bytes.count)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"seq":1,"sha256":""#))
        #expect(text.contains(#""type":"step-succeeded""#))
    }

    @Test(arguments: [1, 10, 40])
    func ignoresATornLastLineWithoutNewline(cut: Int) throws {
        let whole = try lines([Self.start, Self.started])
        let last = try JournalLine.encode(Self.succeeded, seq: 3)
        let contents = try JournalReader.parse(whole + last.prefix(cut), path: "/j")
        #expect(contents.records == [Self.start, Self.started])
        #expect(contents.tornLine?.line == 3)
        #expect(contents.validLength == whole.count)
    }

    @Test func ignoresADamagedLastLineWithNewline() throws {
        var bytes = try lines([Self.start, Self.started, Self.succeeded])
        bytes[bytes.count - 10] = UInt8(ascii: "X")
        let contents = try JournalReader.parse(bytes, path: "/j")
        #expect(contents.records == [Self.start, Self.started])
        #expect(contents.tornLine?.line == 3)
    }

    @Test func refusesADamagedMiddleLineNamingFileAndLine() throws {
        var bytes = try lines([Self.start, Self.started, Self.succeeded])
        let secondLineStart = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? 0) + 1
        bytes[secondLineStart + 80] = UInt8(ascii: "Z")
        #expect(throws: JournalError.self) { try JournalReader.parse(bytes, path: "/j") }
        do {
            _ = try JournalReader.parse(bytes, path: "/state/runs/web/journal.jsonl")
        } catch {
            guard case .corrupt(let path, let line, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == "/state/runs/web/journal.jsonl")
            #expect(line == 2)
            #expect(reason.contains("checksum"))
            #expect(error.description.hasPrefix("/state/runs/web/journal.jsonl:2: journal is corrupt"))
        }
    }

    @Test func refusesOutOfOrderSequenceNumbers() throws {
        let bytes = try JournalLine.encode(Self.start, seq: 1) + JournalLine.encode(Self.started, seq: 3) + JournalLine.encode(Self.succeeded, seq: 4)
        #expect(throws: JournalError.corrupt(path: "/j", line: 2, reason: "sequence number 3, expected 2")) {
            try JournalReader.parse(bytes, path: "/j")
        }
    }

    @Test func refusesAJournalThatDoesNotStartWithRunStarted() throws {
        let bytes = try JournalLine.encode(Self.started, seq: 1) + JournalLine.encode(Self.succeeded, seq: 2)
        #expect(throws: JournalError.self) { try JournalReader.parse(bytes, path: "/j") }
    }

    @Test func writerCutsATornLineBeforeAppending() async throws {
        var world = FakeWorld()
        world.directories["/j"] = 0o700
        let whole = try lines([Self.start])
        world.files["/j/journal.jsonl"] = whole + Array(#"{"seq":2,"sha2"#.utf8)
        let host = FakeHost(world)
        let contents = try JournalReader.parse(await host.world.files["/j/journal.jsonl"] ?? [], path: "/j/journal.jsonl")
        var writer = try await JournalWriter.open(host: host, path: "/j/journal.jsonl", existing: contents)
        try await writer.append(Self.started)
        let after = try JournalReader.parse(await host.world.files["/j/journal.jsonl"] ?? [], path: "/j/journal.jsonl")
        #expect(after.records == [Self.start, Self.started])
        #expect(after.tornLine == nil)
        #expect(await host.world.calls.contains(.truncate("/j/journal.jsonl", whole.count)))
    }

    @Test func writerStopsForGoodAfterAFailedAppend() async throws {
        var world = FakeWorld()
        world.directories["/j"] = 0o700
        world.fail(.append, pathContains: "journal", times: 1)
        let host = FakeHost(world)
        var writer = try await JournalWriter.open(host: host, path: "/j/journal.jsonl", existing: nil)
        await #expect(throws: JournalError.self) { try await writer.append(Self.start) }
        // The injected failure is used up, yet the writer never retries.
        await #expect(throws: JournalError.self) { try await writer.append(Self.start) }
        #expect(await host.world.calls.filter { $0 == .append("/j/journal.jsonl") }.count == 1)
        #expect(await host.world.files["/j/journal.jsonl"] == nil)
    }

    @Test func runStateFollowsTheRecords() {
        let failed = JournalRecord.stepFailed(.init(step: .dump, error: "boom", durationMilliseconds: 7, irreversible: false, at: Timestamp(millisecondsSinceEpoch: 9)))
        let dumpStarted = JournalRecord.stepStarted(.init(step: .dump, attempt: 1, at: Timestamp(millisecondsSinceEpoch: 4)))
        guard let state = RunState(records: [Self.start, Self.started, Self.succeeded, dumpStarted, failed]) else {
            Issue.record("no state")
            return
        }
        #expect(state.phase == .stepFailed)
        #expect(state[.inspect]?.state == .succeeded)
        #expect(state[.inspect]?.outputs["containerID"] == "abc")
        #expect(state[.dump]?.state == .failed)
        #expect(state[.dump]?.error == "boom")
        #expect(RunState(records: [Self.started]) == nil)
    }

    @Test func timestampsFormatAsUTC() {
        let time = Timestamp(millisecondsSinceEpoch: 1_714_564_800_123)
        #expect(time.iso8601 == "2024-05-01T12:00:00.123Z")
        #expect(time.compact == "20240501T120000Z")
    }
}
