import Testing
@testable import CRPlanCore

/// `JournalWriter` batches records into one write and writes a single
/// record without an fsync only while everything before it is synced, so a
/// machine crash can cost the journal its last line and nothing else.
@Suite struct JournalWriterTests {
    static let path = "/state/journal.jsonl"

    func writer() async throws -> (FakeHost, JournalWriter) {
        var world = FakeWorld()
        world.directories["/state"] = 0o700
        let host = FakeHost(world)
        var writer = try await JournalWriter.open(host: host, path: Self.path, existing: nil)
        try await writer.append(JournalTests.start)
        return (host, writer)
    }

    static func progress(_ pid: Int) -> JournalRecord {
        .stepProgress(.init(step: .dump, values: [JournaledChild.pidKey: String(pid)], at: Timestamp(millisecondsSinceEpoch: 4)))
    }

    @Test func aBatchIsOneWriteAndOneFsyncWithConsecutiveSequenceNumbers() async throws {
        var (host, writer) = try await writer()
        try await writer.append([JournalTests.started, JournalTests.succeeded], synced: true)
        let world = await host.world
        #expect(world.appends.count == 2)
        #expect(world.appends.last?.synced == true)
        #expect(world.appends.last?.recordTypes == ["step-started", "step-succeeded"])
        let contents = try JournalReader.parse(world.files[Self.path] ?? [], path: Self.path)
        #expect(contents.records == [JournalTests.start, JournalTests.started, JournalTests.succeeded])
        #expect(writer.nextSeq == 4)
    }

    @Test func onlyOneRecordAtATimeIsLeftUnsynced() async throws {
        var (host, writer) = try await writer()
        try await writer.append([Self.progress(10)], synced: false)
        #expect(await host.world.appends.last?.synced == false)
        #expect(writer.unsyncedTail)
        // The tail is unsynced already: this one is synced, flushing both.
        try await writer.append([Self.progress(11)], synced: false)
        #expect(await host.world.appends.last?.synced == true)
        #expect(!writer.unsyncedTail)
        // A batch is always synced.
        try await writer.append([Self.progress(12), Self.progress(13)], synced: false)
        #expect(await host.world.appends.last?.synced == true)
        try await writer.append([Self.progress(14)], synced: false)
        try await writer.append(JournalTests.started)
        let world = await host.world
        #expect(world.appends.map(\.synced) == [true, false, true, true, false, true])
        #expect(world.syncedLength[Self.path] == world.files[Self.path]?.count)
    }

    /// A machine crash after any append leaves a journal the reader takes:
    /// the synced records, and at most the one unsynced line after them lost.
    @Test func aMachineCrashAfterAnyAppendLosesAtMostTheLastRecord() async throws {
        var (host, writer) = try await writer()
        var written: [JournalRecord] = [JournalTests.start]
        var synced = 1
        let plan: [(records: [JournalRecord], synced: Bool)] = [
            ([Self.progress(20)], false), ([JournalTests.started], true), ([Self.progress(21)], false), ([Self.progress(22)], false),
            ([Self.progress(23)], false), ([JournalTests.succeeded, Self.progress(24)], false), ([Self.progress(25)], false),
        ]
        for step in plan {
            try await writer.append(step.records, synced: step.synced)
            written += step.records
            if await host.world.appends.last?.synced == true { synced = written.count }
            var crashed = await host.world
            crashed.loseUnsyncedAppends()
            let contents = try JournalReader.parse(crashed.files[Self.path] ?? [], path: Self.path)
            #expect(contents.records == Array(written.prefix(synced)))
            #expect(written.count - synced <= 1)
        }
    }
}
