import PropertyBased
import Testing
@testable import CRPlanCore

/// Random durations and random text: parsing never traps, stays within
/// the limit, and printing then parsing gives the same duration.
@Suite struct PlanDurationPropertyTests {
    static let units: [(String, Int)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]

    @Test func printThenParseRoundTrips() async {
        await propertyCheck(count: 500, input: Gen.int(in: 1...PlanLimits.maximumDurationMilliseconds)) { milliseconds in
            let duration = PlanDuration(milliseconds: milliseconds)
            #expect(PlanDuration(parsing: duration.description) == duration)
        }
    }

    /// Sums of parts, exact when within the limit, `tooLong` above it,
    /// whatever the size of the numbers (64-bit overflow included).
    @Test func partsAddUpOrAreTooLong() async {
        let part = zip(Gen.int(in: 0...Int.max), Gen.int(in: 0...(Self.units.count - 1)))
        await propertyCheck(count: 500, input: part.array(of: 1...6)) { parts in
            let text = parts.map { "\($0.0)\(Self.units[$0.1].0)" }.joined()
            var exact = 0
            var overflow = false
            for (number, unit) in parts {
                let (product, o1) = number.multipliedReportingOverflow(by: Self.units[unit].1)
                let (sum, o2) = exact.addingReportingOverflow(product)
                overflow = overflow || o1 || o2
                exact = sum
            }
            let parsed = PlanDuration.parse(text)
            if overflow || exact > PlanLimits.maximumDurationMilliseconds {
                #expect(parsed == .failure(.tooLong), "\(text)")
            } else if exact == 0 {
                #expect(parsed == .failure(.malformed), "\(text)")
            } else {
                #expect(parsed == .success(PlanDuration(milliseconds: exact)), "\(text)")
            }
        }
    }

    @Test func randomTextNeverTraps() async {
        let alphabet = Array("0123456789smhx -999")
        let characters = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }
        await propertyCheck(count: 1_000, input: characters.string(of: 0...40)) { text in
            if case .success(let duration) = PlanDuration.parse(text) {
                #expect((1...PlanLimits.maximumDurationMilliseconds).contains(duration.milliseconds))
                #expect(PlanDuration(parsing: duration.description) == duration)
            }
        }
    }
}
