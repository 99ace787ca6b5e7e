/// Integer spellings: the plain decimal plans are written in, and every
/// YAML 1.2 core integer (`[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`).
enum IntegerSpelling {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// `[-+]?(0|[1-9][0-9]*)`, saturating at `Int.min`/`Int.max`.
    static func decimal(_ s: Bytes) -> Int? {
        let start = PlainScalarResolver.afterSign(s)
        guard start < s.count else { return nil }
        if s[start] == UInt8(ascii: "0"), start + 1 != s.count { return nil }
        return digits(s, from: start, base: 10)
    }

    /// The value of any YAML 1.2 core integer, saturating.
    static func yaml12Int(_ s: Bytes) -> Int? {
        guard PlainScalarResolver.isYAML12Int(s) else { return nil }
        if s.count > 2, s[0] == UInt8(ascii: "0") {
            if s[1] == UInt8(ascii: "o") { return digits(s, from: 2, base: 8) }
            if s[1] == UInt8(ascii: "x") { return digits(s, from: 2, base: 16) }
        }
        return digits(s, from: PlainScalarResolver.afterSign(s), base: 10)
    }

    /// The digits from `start` to the end in `base`, negated after a `-` sign;
    /// nil if a byte is no digit of `base`.
    private static func digits(_ s: Bytes, from start: Int, base: Int) -> Int? {
        guard start < s.count else { return nil }
        var value = 0
        for index in start..<s.count {
            let c = s[index]
            let digit: Int
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(c) - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(c) - 0x61 + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(c) - 0x41 + 10
            default: return nil
            }
            guard digit < base else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: base)
            let (sum, overflow2) = product.addingReportingOverflow(digit)
            value = overflow || overflow2 ? Int.max : sum
        }
        let negative = start == 1 && s[0] == UInt8(ascii: "-")
        return negative ? (value == Int.max ? Int.min : -value) : value
    }
}
