extension Duration {
    /// Whole milliseconds, rounded down; saturates at the ends of `Int64`
    /// instead of trapping (a `Duration` can hold far more than `Int64` milliseconds).
    var wholeMilliseconds: Int64 {
        let parts = components
        let fraction = parts.attoseconds / 1_000_000_000_000_000
        let (product, overflow) = parts.seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return parts.seconds > 0 ? .max : .min }
        let (sum, sumOverflow) = product.addingReportingOverflow(fraction)
        if sumOverflow { return fraction > 0 ? .max : .min }
        return sum
    }
}
