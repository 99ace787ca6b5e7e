/// A duration written like `90s`, `5m`, `1h` or `1m30s` (units ms, s, m, h).
public struct PlanDuration: Sendable, Hashable, Codable, CustomStringConvertible {
    public var milliseconds: Int

    public init(milliseconds: Int) {
        self.milliseconds = milliseconds
    }

    /// Parses the plan spelling; nil if it is not a positive duration.
    public init?(parsing text: String) {
        var total = 0
        var number = 0
        var digits = 0
        var sawUnit = false
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        while let byte = bytes.first {
            if (0x30...0x39).contains(byte) {
                let (product, overflow) = number.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                number = product + Int(byte - 0x30)
                digits += 1
                bytes.removeFirst()
                continue
            }
            guard digits > 0 else { return nil }
            let factor: Int
            if bytes.starts(with: "ms".utf8) {
                factor = 1
                bytes.removeFirst(2)
            } else {
                switch byte {
                case UInt8(ascii: "s"): factor = 1_000
                case UInt8(ascii: "m"): factor = 60_000
                case UInt8(ascii: "h"): factor = 3_600_000
                default: return nil
                }
                bytes.removeFirst()
            }
            let (part, overflow) = number.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            total += part
            number = 0
            digits = 0
            sawUnit = true
        }
        guard digits == 0, sawUnit, total > 0 else { return nil }
        milliseconds = total
    }

    public var seconds: Double { Double(milliseconds) / 1000 }

    public var description: String {
        if milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1_000 == 0 { return "\(milliseconds / 1_000)s" }
        return "\(milliseconds)ms"
    }
}
