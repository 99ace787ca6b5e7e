/// The range every number in a journal record must fall in. A journal is
/// input like any other (a disk fault, a careless edit, a tampered line whose
/// checksum was recomputed), and the executor does arithmetic on these values
/// (deadlines from `at`, the next attempt from `attempt`), so `JournalReader`
/// refuses a record outside them as corrupt instead of letting a later sum trap.
public enum JournalBounds {
    /// `9999-12-31T23:59:59.999Z`: the last instant `Timestamp.iso8601` prints with four year digits.
    public static let latestTimestamp: Int64 = 253_402_300_799_999
    /// A step cannot have taken longer than the whole range of timestamps.
    public static let longestDuration: Int64 = latestTimestamp
    /// Far more tries of one step than any run makes; small enough that counting on never overflows.
    public static let mostAttempts = 1_000_000

    /// Why `record` holds a number out of range, or nil when every number is in range.
    public static func problem(in record: JournalRecord) -> String? {
        var checks: [(String, Int64, ClosedRange<Int64>)] = []
        let time = 0...latestTimestamp
        switch record {
        case .runStarted(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        case .factsBound(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        case .stepStarted(let payload):
            checks.append(("at", payload.at.millisecondsSinceEpoch, time))
            checks.append(("attempt", Int64(payload.attempt), 1...Int64(mostAttempts)))
        case .stepProgress(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        case .stepSucceeded(let payload):
            checks.append(("at", payload.at.millisecondsSinceEpoch, time))
            checks.append(("durationMilliseconds", payload.durationMilliseconds, 0...longestDuration))
        case .stepFailed(let payload):
            checks.append(("at", payload.at.millisecondsSinceEpoch, time))
            checks.append(("durationMilliseconds", payload.durationMilliseconds, 0...longestDuration))
        case .runResumed(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        case .rollbackStarted(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        case .stepRolledBack(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        case .rollbackFailed(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        case .rollbackFinished(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        case .runFinished(let payload): checks.append(("at", payload.at.millisecondsSinceEpoch, time))
        }
        for (field, value, range) in checks where !range.contains(value) {
            return "\(record.type) has \(field) \(value), outside \(range.lowerBound)...\(range.upperBound)"
        }
        return nil
    }
}
