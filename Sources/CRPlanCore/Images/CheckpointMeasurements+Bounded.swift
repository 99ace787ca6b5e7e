import CRPlanImages

extension CheckpointMeasurements {
    /// The most problems a journaled measurement keeps.
    public static let maximumProblems = 8
    /// The most characters kept of each problem.
    public static let maximumProblemLength = 1_000

    /// The measurements with at most `maximumProblems` problems of at most
    /// `maximumProblemLength` characters each: what the journal keeps and
    /// what a journal line read back may carry into the run's state.
    public func bounded() -> CheckpointMeasurements {
        var copy = self
        var problems = Array(self.problems.prefix(Self.maximumProblems)).map { problem in
            problem.count > Self.maximumProblemLength ? String(problem.prefix(Self.maximumProblemLength)) + "…" : problem
        }
        if self.problems.count > Self.maximumProblems {
            problems.append("\(self.problems.count - Self.maximumProblems) more problems not kept")
        }
        copy.problems = problems
        return copy
    }
}
