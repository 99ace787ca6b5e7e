/// How running the remaining steps ended.
enum SequenceResult {
    case completed
    case failed(StepKind, StepFailure)
}

extension RunSession {
    /// Runs every step not yet succeeded, in graph order, journaling each
    /// transition before and after its side effects. Stops at the first
    /// failure; a journal failure is thrown at once (fatal for the run).
    ///
    /// Fsyncs are the journal's cost (inside the frozen window on a busy
    /// disk, each can take longer than the command it brackets), so records
    /// whose loss a resume makes good are written together with the next
    /// durable one (`appendLater`), in one write and one fsync:
    /// - a step's `step-succeeded` goes out with the next step's
    ///   `step-started` (or `run-finished`), still before the next step's
    ///   first side effect. A crash in between leaves the step journaled as
    ///   started: the resume probes it and finds it done, exactly as after a
    ///   crash between its side effect and its record, a window that always
    ///   existed and that every probe covers (`ExecutorResumeTests` crashes at
    ///   every side effect). Not for `operation: migrate` nor a checkpoint
    ///   with `archive` (`StepGraph.stagesCheckpoint`): their steps' probes
    ///   (a checkpoint in a staging dir, a target over ssh) are not all able
    ///   to find a finished step done, so each success is written at once.
    /// - a step that changes nothing (`StepBehavior.changesNothing`:
    ///   `verify-dump-log` reads a log, `wait-container-exited` asks Docker
    ///   and reads mountinfo) is not journaled before it runs: its
    ///   `step-started` and outcome go out with the next durable record. A
    ///   crash while it runs leaves it pending (and the step before it
    ///   started, which the probe settles): the resume runs it again, which
    ///   is what it would have done with the records on disk (its probe says
    ///   rerun). Its commands' children are not journaled either: a leftover
    ///   `docker inspect` beside a resume harms nothing.
    func runRemainingSteps() async throws(JournalError) -> SequenceResult {
        for step in steps {
            if let record = state[step.kind], record.state == .succeeded {
                let message = probedDone[step.kind].map { "found done: \($0)" } ?? (record.probed ? "found done" : "done earlier")
                await emit(.stepSkipped, step: step.kind, message: message, outputs: record.outputs)
                continue
            }
            let attempt = (state[step.kind]?.attempts ?? 0) + 1
            let started = await host.now()
            let start = JournalRecord.stepStarted(.init(step: step.kind, attempt: attempt, at: started))
            if step.kind.behavior.changesNothing {
                appendLater(start)
            } else {
                try await append(start)
            }
            await emit(.stepStarted, step: step.kind, attempt: attempt, message: step.summary)
            let context = context(for: step, attempt: attempt, started: started)
            do {
                try await context.requireInputs()
                let outputs = try await step.kind.behavior.run(context)
                try await context.requireProducts()
                await emit(.stepRan, step: step.kind, attempt: attempt)
                let (measurements, notes) = await context.measureImages()
                let finished = await host.now()
                let duration = finished.milliseconds(since: started)
                let success = JournalRecord.stepSucceeded(.init(
                    step: step.kind, outputs: outputs, durationMilliseconds: duration, probed: false, at: finished, measurements: measurements
                ))
                if graph.stagesCheckpoint {
                    try await append(success)
                } else {
                    appendLater(success)
                }
                await emit(.stepFinished, step: step.kind, attempt: attempt, duration: duration, outputs: outputs, measurements: measurements)
                for note in notes {
                    await emit(.note, step: step.kind, message: note)
                }
            } catch let error as JournalError {
                throw error
            } catch {
                let failure = StepFailure(wrapping: error)
                let finished = await host.now()
                let duration = finished.milliseconds(since: started)
                try await append(.stepFailed(.init(
                    step: step.kind, error: failure.message, durationMilliseconds: duration, irreversible: failure.irreversible, at: finished
                )))
                await emit(
                    .stepFailed, step: step.kind, attempt: attempt, duration: duration, message: failure.message,
                    next: failure.next.isEmpty ? nil : failure.next
                )
                for note in failure.notes {
                    await emit(.note, step: step.kind, message: note)
                }
                return .failed(step.kind, failure)
            }
        }
        return .completed
    }

    /// Settles steps journaled as started but not finished (and failures that
    /// left something that must not be undone) by probing the host, so that
    /// nothing is dumped twice or restored twice.
    ///
    /// For resume, a step found done is journaled as succeeded; one that
    /// must rerun is left for `runRemainingSteps`; one crplan cannot decide
    /// stops the resume. For rollback, a step that must rerun is journaled as
    /// failed (it left nothing), and an undecidable one as an irreversible
    /// failure (nothing before it is undone).
    func probeInterruptedSteps(forRollback: Bool) async throws(ExecutorError) {
        for step in steps {
            guard let record = state[step.kind] else { continue }
            let interrupted = record.state == .running
            let irreversibleFailure = record.state == .failed && record.irreversibleFailure
            guard interrupted || irreversibleFailure else { continue }
            if interrupted { try await waitForJournaledChild(of: step, record: record) }
            let context = context(for: step, attempt: record.attempts, started: record.startedAt ?? Timestamp(millisecondsSinceEpoch: 0))
            let decision: ProbeDecision
            do {
                decision = try await step.kind.behavior.probe(context)
            } catch let error as JournalError {
                throw .journal(error)
            } catch {
                decision = .operatorNeeded("cannot probe what the interrupted step did: \(StepFailure(wrapping: error).message)")
            }
            let now = await host.now()
            do {
                switch decision {
                case .done(let outputs, let reason):
                    let duration = record.startedAt.map { now.milliseconds(since: $0) } ?? 0
                    try await append(.stepSucceeded(.init(step: step.kind, outputs: outputs, durationMilliseconds: duration, probed: true, at: now)))
                    if forRollback {
                        await emit(.stepSkipped, step: step.kind, message: "found done: \(reason)", outputs: outputs)
                    } else {
                        probedDone[step.kind] = reason  // reported by runRemainingSteps, in graph order
                    }
                case .rerun(let reason):
                    if forRollback, interrupted {
                        try await append(.stepFailed(.init(
                            step: step.kind, error: "interrupted before it finished (\(reason))", durationMilliseconds: 0, irreversible: false, at: now
                        )))
                    }
                    await emit(.note, step: step.kind, message: (interrupted ? "interrupted before it finished: " : "failed earlier: ") + reason)
                case .operatorNeeded(let message):
                    guard forRollback else { throw ExecutorError.needsOperator(planName: planName, step: step.kind, message: message) }
                    try await append(.stepFailed(.init(step: step.kind, error: message, durationMilliseconds: 0, irreversible: true, at: now)))
                    await emit(.note, step: step.kind, message: message)
                }
            } catch let error as JournalError {
                throw .journal(error)
            } catch let error as ExecutorError {
                throw error
            } catch {
                throw .journal(.writeFailed(path: folder.journal, reason: String(describing: error)))
            }
        }
    }

    /// After the steps ran: finish the run, or handle the failure (rollback
    /// unless disabled).
    func finish(_ result: SequenceResult) async throws(JournalError) -> RunReport {
        switch result {
        case .completed:
            try await append(.runFinished(.init(outcome: .succeeded, notes: [], at: await host.now())))
            await emit(.runFinished, outcome: RunReport.Outcome.succeeded.rawValue)
            return report(.succeeded, notes: [])
        case .failed(let kind, let failure):
            if options.rollbackOnFailure {
                return try await rollBack(explicit: false, failed: (kind, failure))
            }
            let note = "nothing was undone (--no-rollback)"
            let next = [NextCommand(.resume, "to continue the run"), NextCommand(.rollback, "to undo it")]
            await emit(.note, step: kind, message: note, next: next)
            await emit(.runFinished, outcome: RunReport.Outcome.failed.rawValue, next: next)
            return report(.failed, failedStep: kind, error: failure.message, notes: failure.notes + [note], next: failure.next + next)
        }
    }
}

extension StepFailure {
    /// Any error a step threw, as a failure message.
    init(wrapping error: any Error) {
        switch error {
        case let failure as StepFailure: self = failure
        case let error as HostError: self.init(error.description)
        case let error as BindingError: self.init(error.description)
        case let error as ExecutorError: self.init(error.description)
        default: self.init(String(describing: error))
        }
    }
}

extension StepContext {
    /// Refuses to run the step when a file it reads (`Step.inputs`, bound) is missing.
    func requireInputs() async throws {
        for input in try bound().inputs {
            let path = try literal(input, "an input")
            guard try await host.fileType(at: path) != nil else {
                throw StepFailure("step \(step.kind.rawValue) reads \(path), which is not there (an earlier step or run should have left it)")
            }
        }
    }

    /// Fails the step when something it should have left (`Step.produces`, bound) is missing.
    func requireProducts() async throws {
        for product in try bound().produces {
            let path = try literal(product, "a product")
            guard try await host.fileType(at: path) != nil else {
                throw StepFailure("step \(step.kind.rawValue) finished but \(path), which it should leave, is not there")
            }
        }
    }
}
