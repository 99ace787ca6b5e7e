import PropertyBased
import Testing
@testable import CRPlanCore

/// A journal whose numbers were tampered with (checksums recomputed) is
/// refused as corrupt at read time, naming the line and the field; no
/// arithmetic on a journal value can trap.
@Suite struct JournalBoundsTests {
    static let start = JournalTests.start

    static func journal(_ records: [JournalRecord]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, record) in records.enumerated() {
            bytes += try JournalLine.encode(record, seq: index + 1)
        }
        return bytes
    }

    static func started(at: Int64, attempt: Int = 1) -> JournalRecord {
        .stepStarted(.init(step: .inspect, attempt: attempt, at: Timestamp(millisecondsSinceEpoch: at)))
    }

    static func succeeded(duration: Int64, at: Int64 = 3) -> JournalRecord {
        .stepSucceeded(.init(step: .inspect, outputs: [:], durationMilliseconds: duration, probed: false,
                             at: Timestamp(millisecondsSinceEpoch: at)))
    }

    @Test(arguments: [Int64.max, Int64.min, -1, JournalBounds.longestDuration + 1])
    func aHugeDurationIsCorruptOnAnyLine(duration: Int64) throws {
        // On the last line too: the checksum is right, so it is no torn write to ignore.
        for tail in [[JournalRecord](), [Self.started(at: 4)]] {
            let bytes = try Self.journal([Self.start, Self.started(at: 2), Self.succeeded(duration: duration)] + tail)
            #expect {
                try JournalReader.parse(bytes, path: "/j")
            } throws: { error in
                guard case JournalError.corrupt(let path, let line, let reason) = error else { return false }
                return path == "/j" && line == 3 && reason.contains("durationMilliseconds \(duration)")
            }
        }
    }

    @Test(arguments: [Int64.max, Int64.min, -1, JournalBounds.latestTimestamp + 1])
    func aTimestampOutOfRangeIsCorrupt(at: Int64) throws {
        let bytes = try Self.journal([Self.start, Self.started(at: at)])
        #expect(throws: JournalError.corrupt(path: "/j", line: 2, reason: "step-started has at \(at), outside 0...\(JournalBounds.latestTimestamp)")) {
            try JournalReader.parse(bytes, path: "/j")
        }
    }

    @Test(arguments: [Int.max, 0, -3, JournalBounds.mostAttempts + 1])
    func anAttemptOutOfRangeIsCorrupt(attempt: Int) throws {
        let bytes = try Self.journal([Self.start, Self.started(at: 2, attempt: attempt)])
        #expect(throws: JournalError.self) { try JournalReader.parse(bytes, path: "/j") }
    }

    @Test func valuesAtTheBoundsAreRead() throws {
        let records = [
            Self.start, Self.started(at: JournalBounds.latestTimestamp, attempt: JournalBounds.mostAttempts),
            Self.succeeded(duration: JournalBounds.longestDuration, at: 0),
        ]
        #expect(try JournalReader.parse(try Self.journal(records), path: "/j").records == records)
    }

    /// Random numbers in the fields the executor computes with: the journal
    /// is refused, or every value is in range and the run state built from
    /// it (attempts counted on, deadlines, printed instants) never traps.
    @Test func randomNumbersNeverTrap() async throws {
        let any = Gen.int(in: Int.min...Int.max)
        let near = Gen.int(in: -2...Int(JournalBounds.latestTimestamp) + 2)
        let number = Gen.oneOf(any, near)
        await propertyCheck(count: 400, input: zip(number, number, number)) { at, duration, attempt in
            let records = [Self.start, Self.started(at: Int64(at), attempt: attempt), Self.succeeded(duration: Int64(duration)),
                           Self.started(at: 5, attempt: 1)]
            guard let bytes = try? Self.journal(records) else { Issue.record("cannot encode"); return }
            let inRange = (0...JournalBounds.latestTimestamp).contains(Int64(at))
                && (1...JournalBounds.mostAttempts).contains(attempt)
                && (0...JournalBounds.longestDuration).contains(Int64(duration))
            do {
                let contents = try JournalReader.parse(bytes, path: "/j")
                #expect(inRange, "read \(at) \(duration) \(attempt)")
                let state = try #require(RunState(records: contents.records))
                let record = try #require(state[.inspect])
                #expect(record.attempts > attempt)
                let started = record.startedAt ?? Timestamp(millisecondsSinceEpoch: 0)
                let deadline = started.adding(milliseconds: PlanLimits.maximumDurationMilliseconds.toInt64)
                _ = deadline.milliseconds(since: Timestamp(millisecondsSinceEpoch: Int64(at)))
                _ = deadline.iso8601 + started.compact
            } catch {
                #expect(!inRange, "refused \(at) \(duration) \(attempt): \(error)")
            }
        }
    }

    @Test func wholeMillisecondsSaturates() {
        #expect(Duration.milliseconds(1_234).wholeMilliseconds == 1_234)
        #expect(Duration.seconds(Int64.max).wholeMilliseconds == .max)
        #expect(Duration.seconds(Int64.min).wholeMilliseconds == .min)
        #expect((Duration.milliseconds(Int64.max) + .milliseconds(5)).wholeMilliseconds == .max)
        #expect(Duration.milliseconds(Int64.max).wholeMilliseconds == .max)
    }
}

private extension Int {
    var toInt64: Int64 { Int64(self) }
}
