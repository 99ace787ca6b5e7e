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
    private let counter: CounterContainer

    init(_ counter: CounterContainer, interval: Duration = .milliseconds(15)) {
        self.counter = counter
        task = Task.detached { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                self.sample()
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func sample() {
        let copies = counter.workloadCopies()
        lock.withLock {
            samples += 1
            if copies.count > maximum {
                maximum = copies.count
                worst = copies
            }
        }
    }

    /// Stops sampling after one last sample (on a loaded machine the
    /// background task may not have run while a short crplan run lasted);
    /// returns the most copies seen at once, those pids, and how many
    /// samples were taken.
    func stop() async -> (maximum: Int, pids: [Int32], samples: Int) {
        task?.cancel()
        await task?.value
        sample()
        return lock.withLock { (maximum, worst, samples) }
    }
}
