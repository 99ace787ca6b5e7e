/// The pre-dump steps are numbered kinds, one per iteration, so that each
/// has its own id in the journal, the events and `crplan status` like any
/// other step. The linter bounds `criu.preDump.iterations` to as many.
extension StepKind {
    /// `pre-dump-1` … `pre-dump-10`, in order.
    public static let preDumps: [StepKind] = [
        .preDump1, .preDump2, .preDump3, .preDump4, .preDump5, .preDump6, .preDump7, .preDump8, .preDump9, .preDump10,
    ]

    /// The kind of pre-dump `iteration` (from 1), nil outside `1...preDumps.count`.
    public static func preDump(_ iteration: Int) -> StepKind? {
        preDumps.indices.contains(iteration - 1) ? preDumps[iteration - 1] : nil
    }

    /// Which pre-dump this is (from 1), nil for any other kind.
    public var preDumpIteration: Int? {
        Self.preDumps.firstIndex(of: self).map { $0 + 1 }
    }
}
