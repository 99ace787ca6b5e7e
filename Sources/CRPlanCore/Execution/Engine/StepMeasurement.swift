import CRPlanImages

extension StepContext {
    /// Measures the checkpoint the step names in `paths.measuredImages`
    /// (CRIU's statistics and the image size), for the `step-succeeded`
    /// record and the `step-finished` event. Never fails the step: a path
    /// that cannot be bound or a file that cannot be read becomes a note.
    /// Nil measurements (and no notes) for a step that measures nothing.
    func measureImages() async -> (measurements: CheckpointMeasurements?, notes: [String]) {
        guard step.paths.measuredImages != nil else { return (nil, []) }
        let directory: String
        do {
            directory = try path(\.measuredImages, "checkpoint images to measure")
        } catch {
            return (nil, ["the checkpoint was not measured: \(StepFailure(wrapping: error).message)"])
        }
        let measurements = await CheckpointImageDir.measure(imageDir: directory, host: host).bounded()
        let notes = measurements.problems.map { "checkpoint statistics of \(directory) incomplete: \($0)" }
        return (measurements, notes)
    }
}
