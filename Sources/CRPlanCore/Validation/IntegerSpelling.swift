/// Integer spellings: the plain decimal plans use, and the other forms
/// PyYAML (YAML 1.1) reads as whole numbers, whose value is still needed
/// to judge ranges the way the JSON Schema does.
enum IntegerSpelling {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// `[-+]?(0|[1-9][0-9]*)`, saturating at `Int.min`/`Int.max`.
    static func decimal(_ s: Bytes) -> Int? {
        var i = PlainScalarResolver.afterSign(s)
        let negative = i == 1 && s[0] == UInt8(ascii: "-")
        guard i < s.count else { return nil }
        if s[i] == UInt8(ascii: "0") { return i + 1 == s.count ? 0 : nil }
        return digits(s, from: &i, base: 10, negative: negative, allowUnderscore: false).flatMap { i == s.count ? $0 : nil }
    }

    /// The value of a PyYAML int in any spelling, or of a float that is a
    /// whole number written without an exponent (`4.0`, `4.`); nil otherwise.
    static func yaml11WholeNumber(_ s: Bytes) -> Int? {
        if PlainScalarResolver.isYAML11Int(s) { return yaml11Int(s) }
        guard PlainScalarResolver.isYAML11Float(s) else { return nil }
        // Whole numbers only: digits, a dot, then zeros; no colon or exponent.
        var i = PlainScalarResolver.afterSign(s)
        let negative = i == 1 && s[0] == UInt8(ascii: "-")
        guard i < s.count, PlainScalarResolver.isDigit(s[i]) else { return nil }
        guard let value = digits(s, from: &i, base: 10, negative: negative, allowUnderscore: true),
              i < s.count, s[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        while i < s.count, s[i] == UInt8(ascii: "0") || s[i] == UInt8(ascii: "_") { i += 1 }
        return i == s.count ? value : nil
    }

    /// Value of a scalar `PlainScalarResolver.isYAML11Int` accepted.
    static func yaml11Int(_ s: Bytes) -> Int? {
        var i = PlainScalarResolver.afterSign(s)
        let negative = i == 1 && s[0] == UInt8(ascii: "-")
        if s[i] == UInt8(ascii: "0"), i + 1 < s.count {
            switch s[i + 1] {
            case UInt8(ascii: "b"):
                i += 2
                return digits(s, from: &i, base: 2, negative: negative, allowUnderscore: true)
            case UInt8(ascii: "x"):
                i += 2
                return digits(s, from: &i, base: 16, negative: negative, allowUnderscore: true)
            default:
                return digits(s, from: &i, base: 8, negative: negative, allowUnderscore: true)
            }
        }
        // Decimal, possibly sexagesimal (`1:30` is 90).
        var total = 0
        var part = 0
        var any = false
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: ":") {
                total = saturating(total, times: 60, plus: part)
                part = 0
            } else if c != UInt8(ascii: "_") {
                part = saturating(part, times: 10, plus: Int(c) - 0x30)
                any = true
            }
            i += 1
        }
        guard any else { return nil }
        total = saturating(total, times: 60, plus: part)
        return negative ? (total == Int.max ? Int.min : -total) : total
    }

    private static func digits(_ s: Bytes, from i: inout Int, base: Int, negative: Bool, allowUnderscore: Bool) -> Int? {
        var value = 0
        var count = 0
        while i < s.count {
            let c = s[i]
            let digit: Int
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(c) - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(c) - 0x61 + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(c) - 0x41 + 10
            case UInt8(ascii: "_") where allowUnderscore:
                i += 1
                continue
            default: digit = base
            }
            guard digit < base else { break }
            value = saturating(value, times: base, plus: digit)
            count += 1
            i += 1
        }
        guard count > 0 || allowUnderscore else { return nil }
        return negative ? (value == Int.max ? Int.min : -value) : value
    }

    private static func saturating(_ value: Int, times factor: Int, plus addend: Int) -> Int {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { return Int.max }
        let (sum, overflow2) = product.addingReportingOverflow(addend)
        return overflow2 ? Int.max : sum
    }
}
