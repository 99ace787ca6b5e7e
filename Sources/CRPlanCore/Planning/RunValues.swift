/// Values of one run known before any container facts are bound: the run's
/// id (which names its staging dir `<imageDir>/<run id>`) and, inside
/// `open-archive`, the bound on the archive's decompressed size. Binding
/// uses them after the facts, for the variables the facts do not give yet;
/// without them those variables stay symbolic, as the dry run prints them.
public struct RunValues: Sendable, Hashable {
    public var runID: String?
    public var archiveUnpackBound: Int64?

    public init(runID: String? = nil, archiveUnpackBound: Int64? = nil) {
        self.runID = runID
        self.archiveUnpackBound = archiveUnpackBound
    }

    /// No run values: what `crplan plan` binds with.
    public static let none = RunValues()

    /// The value of `variable`, if it is one of these and known.
    public func value(of variable: Variable) -> String? {
        switch variable {
        case .runID: runID.flatMap { ContainerFacts.isRunID($0) ? $0 : nil }
        case .archiveUnpackBound: archiveUnpackBound.map { String($0) }
        default: nil
        }
    }
}
