import Dispatch
import Glibc
import Synchronization

/// The one thread pipeline stages are spawned from. A child started through
/// `setpriv --pdeathsig KILL` gets SIGKILL when the *thread* that spawned it
/// exits, and Swift concurrency's worker threads may exit while crplan
/// lives; this thread never exits, so a stage dies exactly when crplan does
/// (even by SIGKILL) and never while it waits for the stage.
final class SpawnThread: Sendable {
    static let shared = SpawnThread()

    /// False when the thread could not be made: callers spawn where they are, without the parent-death wrapper.
    let isRunning: Bool
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let pending = DispatchSemaphore(value: 0)

    private init() {
        var thread = pthread_t()
        isRunning = pthread_create(&thread, nil, { _ in
            SpawnThread.shared.serve()
            return nil
        }, nil) == 0
        if isRunning { pthread_detach(thread) }
    }

    private func serve() {
        while true {
            pending.wait()
            let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            job?()
        }
    }

    /// Runs `body` on the spawn thread and returns its result (blocks the caller for as long as `body` takes: one posix_spawn).
    func perform(_ body: @escaping @Sendable () -> Result<pid_t, PipelineRunner.SpawnFailure>) -> Result<pid_t, PipelineRunner.SpawnFailure> {
        final class Outcome: Sendable {
            let value = Mutex<Result<pid_t, PipelineRunner.SpawnFailure>>(.failure(.init(description: "the spawn thread did not run")))
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        jobs.withLock {
            $0.append {
                let result = body()
                outcome.value.withLock { $0 = result }
                done.signal()
            }
        }
        pending.signal()
        done.wait()
        return outcome.value.withLock { $0 }
    }
}
