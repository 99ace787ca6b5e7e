import Foundation

/// Samples the container's workload copies every few milliseconds in the
/// background, so a test can say "never more than one copy ran" over a
/// whole crplan run, not only at its end.
final class WorkloadCensus: @unchecked Sendable {
    private let lock = NSLock()
    private var maximum = 0
    private var worst: [Int32] = []
    private var samples = 0
    private var task: Task<Void, Never>?

    init(_ counter: CounterContainer, interval: Duration = .milliseconds(15)) {
        task = Task.detached { [weak self] in
            while !Task.isCancelled {
                let copies = counter.workloadCopies()
                guard let self else { return }
                self.lock.withLock {
                    self.samples += 1
                    if copies.count > self.maximum {
                        self.maximum = copies.count
                        self.worst = copies
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Stops sampling; returns the most copies seen at once, those pids, and how many samples were taken.
    func stop() async -> (maximum: Int, pids: [Int32], samples: Int) {
        task?.cancel()
        await task?.value
        return lock.withLock { (maximum, worst, samples) }
    }
}
