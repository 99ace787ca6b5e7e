import Testing
@testable import CRPlanCore

@Suite struct TimestampTests {
    /// `apply` trapped here with a huge plan timeout before it saturated.
    @Test func addingSaturates() {
        let now = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        #expect(now.adding(milliseconds: .max).millisecondsSinceEpoch == .max)
        #expect(Timestamp(millisecondsSinceEpoch: -5).adding(milliseconds: .min).millisecondsSinceEpoch == .min)
        #expect(now.adding(milliseconds: 5).millisecondsSinceEpoch == 1_700_000_000_005)
    }

    @Test func differencesSaturate() {
        let latest = Timestamp(millisecondsSinceEpoch: .max)
        let earliest = Timestamp(millisecondsSinceEpoch: .min)
        #expect(latest.milliseconds(since: earliest) == .max)
        #expect(earliest.milliseconds(since: latest) == 0)
        #expect(Timestamp(millisecondsSinceEpoch: 10).milliseconds(since: Timestamp(millisecondsSinceEpoch: 3)) == 7)
    }

    @Test func extremeInstantsPrint() {
        #expect(Timestamp(millisecondsSinceEpoch: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999Z")
        #expect(!Timestamp(millisecondsSinceEpoch: .max).iso8601.isEmpty)
        #expect(!Timestamp(millisecondsSinceEpoch: .min).compact.isEmpty)
    }
}
