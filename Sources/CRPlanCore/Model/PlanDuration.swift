/// A duration written like `90s`, `5m`, `1h` or `1m30s` (units ms, s, m, h),
/// at most `PlanLimits.maximumDurationMilliseconds` (24h), so that any
/// deadline computed from it stays far from integer overflow.
public struct PlanDuration: Sendable, Hashable, Codable, CustomStringConvertible {
    public var milliseconds: Int

    public init(milliseconds: Int) {
        self.milliseconds = milliseconds
    }

    /// Why a spelling is not a plan duration.
    public enum ParseError: Error, Sendable, Equatable {
        /// Not digits followed by units, or zero.
        case malformed
        /// Longer than `PlanLimits.maximumDurationMilliseconds`.
        case tooLong
    }

    /// Parses the plan spelling; nil if it is not a positive duration of
    /// at most 24h.
    public init?(parsing text: String) {
        guard case .success(let duration) = Self.parse(text) else { return nil }
        self = duration
    }

    /// Parses the plan spelling, telling a malformed one from one that is
    /// too long. Never overflows: a running total above the limit stops
    /// the parse at once.
    public static func parse(_ text: String) -> Result<PlanDuration, ParseError> {
        let limit = PlanLimits.maximumDurationMilliseconds
        var total = 0
        var number = 0
        var digits = 0
        var sawUnit = false
        var tooLong = false
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .failure(.malformed) }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if (0x30...0x39).contains(byte) {
                // Past the limit in milliseconds, the number is too long in any unit.
                if number > limit { tooLong = true } else { number = number * 10 + Int(byte - 0x30) }
                digits += 1
                index += 1
                continue
            }
            guard digits > 0 else { return .failure(.malformed) }
            let factor: Int
            if byte == UInt8(ascii: "m"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "s") {
                factor = 1
                index += 2
            } else {
                switch byte {
                case UInt8(ascii: "s"): factor = 1_000
                case UInt8(ascii: "m"): factor = 60_000
                case UInt8(ascii: "h"): factor = 3_600_000
                default: return .failure(.malformed)
                }
                index += 1
            }
            // number < 10 × limit + 10 and factor <= 3.6e6: no overflow on 64 bits.
            let part = number * factor
            if part > limit { tooLong = true } else { total += part }
            if total > limit { tooLong = true; total = limit + 1 }
            number = 0
            digits = 0
            sawUnit = true
        }
        guard digits == 0, sawUnit else { return .failure(.malformed) }
        if tooLong { return .failure(.tooLong) }
        guard total > 0 else { return .failure(.malformed) }
        return .success(PlanDuration(milliseconds: total))
    }

    public var seconds: Double { Double(milliseconds) / 1000 }

    public var description: String {
        if milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1_000 == 0 { return "\(milliseconds / 1_000)s" }
        return "\(milliseconds)ms"
    }
}
