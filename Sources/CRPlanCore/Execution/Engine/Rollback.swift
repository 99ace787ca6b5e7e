/// One undo action due in a rollback.
struct UndoWork {
    /// What the operator must do by hand if `perform` fails.
    var leftForOperator: String
    /// Undoes the step; returns what it did ("unmounted …").
    var perform: () async throws -> String
}

extension RunSession {
    /// Undoes a failed or unfinished run, in reverse order, as far as is safe.
    ///
    /// Nothing at or before the last point of no return is undone (a dump
    /// whose images are the only copy of the workload, a restore whose
    /// process runs); if that point is a restore, nothing at all is. Only
    /// what crplan did is undone (a mount it made, a pidfile it wrote); the
    /// checkpoint images and logs are always kept. A failing undo action is
    /// journaled with what is left for the operator, and the others still run.
    func rollBack(explicit: Bool, failed: (StepKind, StepFailure)?) async throws(JournalError) -> RunReport {
        let reason = failed.map { "step \($0.0.rawValue) failed" } ?? "crplan rollback"
        try await append(.rollbackStarted(.init(reason: reason, explicit: explicit, at: await host.now())))
        await emit(.rollbackStarted, message: reason)
        var notes: [String] = []
        var next: [NextCommand] = []

        let pointOfNoReturn = lastPointOfNoReturn()
        let workloadRuns = pointOfNoReturn.map { [.restore, .startFromCheckpoint, .startTarget].contains(steps[$0].kind) } ?? false
        var incomplete = false
        if !workloadRuns {
            for index in steps.indices.reversed() where index > (pointOfNoReturn ?? -1) {
                let step = steps[index]
                guard let record = state[step.kind], [.succeeded, .failed, .rollbackFailed].contains(record.state) else { continue }
                var work: UndoWork?
                do {
                    work = try undoWork(for: step, record: record)
                    guard let work else { continue }
                    let done = try await work.perform()
                    try await append(.stepRolledBack(.init(step: step.kind, action: done, at: await host.now())))
                    await emit(.stepRolledBack, step: step.kind, message: done)
                } catch let error as JournalError {
                    throw error
                } catch {
                    let message = StepFailure(wrapping: error).message
                    let left = work?.leftForOperator ?? "undo step \(step.kind.rawValue) by hand (\(step.undo))"
                    try await append(.rollbackFailed(.init(step: step.kind, error: message, leftForOperator: left, at: await host.now())))
                    await emit(.rollbackFailed, step: step.kind, message: "\(message); left for the operator: \(left)")
                    notes.append("left for the operator (\(step.kind.rawValue)): \(left)")
                    incomplete = true
                }
            }
        }
        if let directory = keptImageDirectory() {
            notes.append("the checkpoint images and logs in \(directory) are kept (crplan never deletes a checkpoint)")
        }
        if let pointOfNoReturn {
            let step = steps[pointOfNoReturn]
            let context = context(for: step, attempt: state[step.kind]?.attempts ?? 1, started: await host.now())
            let way = step.kind.behavior.rollForward(context, explicit: explicit)
            notes.append(way.note)
            if let command = way.next { next.append(command) }
        }
        let rollForward = pointOfNoReturn != nil
        try await append(.rollbackFinished(.init(complete: !incomplete, rollForward: rollForward, notes: notes, at: await host.now())))

        let outcome: RunReport.Outcome
        if incomplete || (rollForward && !explicit) {
            outcome = .needsAttention
        } else {
            try await append(.runFinished(.init(outcome: rollForward ? .failed : .rolledBack, notes: notes, at: await host.now())))
            outcome = rollForward ? .needsAttention : .rolledBack
        }
        for note in notes {
            await emit(.note, message: note)
        }
        await emit(.runFinished, outcome: outcome.rawValue, next: next.isEmpty ? nil : next)
        let allNotes = (failed?.1.notes ?? []) + notes
        return report(outcome, failedStep: failed?.0, error: failed?.1.message, notes: allNotes, next: (failed?.1.next ?? []) + next)
    }

    /// The index of the last step whose effect must never be undone.
    private func lastPointOfNoReturn() -> Int? {
        var result: Int?
        for (index, step) in steps.enumerated() {
            guard let record = state[step.kind] else { continue }
            if record.state == .succeeded, step.pointOfNoReturn { result = index }
            if record.state == .failed, record.irreversibleFailure { result = index }
        }
        return result
    }

    /// The image dir, when the run made or used a checkpoint there.
    private func keptImageDirectory() -> String? {
        guard graph.mode == .external else { return nil }
        let used = [StepKind.dump, .loadCheckpoint].contains { (state[$0]?.state ?? .pending) != .pending }
        guard used else { return nil }
        return [StepKind.dump, .inspect, .loadCheckpoint].lazy.compactMap { self.state[$0]?.outputs["imageDir"] }.first
    }

    /// Migrate: the undo commands of `step`, bound with the run's facts (the
    /// target container's id from the step's own progress when the facts
    /// lack it), run on their sides' hosts; nil when there is nothing to undo
    /// (no target container was created, the checkpoint did not succeed).
    private func commandsUndo(for step: Step, record: StepRecord) throws -> UndoWork? {
        guard case .commands(let commands) = step.undo else { return nil }
        guard var facts = state.facts else {
            // open-archive's undo (remove this run's staging dir) needs only the run's id: it may fail before any facts are bound.
            // Only once its exclusive mkdir made the folder (journaled): a folder it did not make is never removed.
            guard step.kind == .openArchive, record.outputs["staging"] != nil else { return nil }
            return try boundUndo(commands, facts: nil, step: step, record: record)
        }
        // A move's way back needs the checkpoint; a copy's (unpause) is due whenever it may have paused.
        let copy = step.checks.contains(.containerRunning)
        if step.kind == .checkpointCreate, record.state != .succeeded, !copy { return nil }
        if step.kind == .checkpointCreate, copy, state[.captureChanges]?.state == .succeeded { return nil }
        if facts.target == nil, let id = record.outputs["targetID"] {
            facts.target = TargetContainer(id: id, driver: "")
        }
        return try boundUndo(commands, facts: facts, step: step, record: record)
    }

    /// The undo commands bound with `facts` and the run's id, as work; nil while one is still symbolic.
    private func boundUndo(_ commands: [CommandTemplate], facts: ContainerFacts?, step: Step, record: StepRecord) throws -> UndoWork? {
        var bound: [CommandTemplate] = []
        for command in commands {
            let concrete = try command.bound(to: facts, run: RunValues(runID: runID))
            guard concrete.literalArgv != nil else { return nil }
            bound.append(concrete)
        }
        let lines = bound.compactMap(\.literalArgv).map(ShellQuoting.line).joined(separator: "`, then `")
        return UndoWork(leftForOperator: "run by hand what is still due of `\(lines)`") { [self] in
            let context = self.context(for: step, attempt: record.attempts, started: await self.host.now())
            for (index, command) in bound.enumerated() {
                guard let completed = try await context.run(command, index: 100 + index) else { continue }
                if !completed.result.status.isSuccess { throw StepFailure(completed.failureDescription) }
            }
            return bound.map(\.purpose).joined(separator: "; ")
        }
    }

    /// What undoing `step` means given what it recorded, or nil if nothing is due.
    private func undoWork(for step: Step, record: StepRecord) throws -> UndoWork? {
        let context = context(for: step, attempt: record.attempts, started: Timestamp(millisecondsSinceEpoch: 0))
        let host = self.host
        switch try context.bound().undo {
        case .nothing, .irreversible:
            return nil
        case .commands:
            return try commandsUndo(for: step, record: record)
        case .unmount(let template):
            guard record.outputs["mounted"] == "true" else { return nil }
            let path = try context.literal(template, "the path to unmount")
            return UndoWork(leftForOperator: "\(path) is still mounted: unmount it (`umount \(path)`) once nothing uses it") {
                guard try await host.isMountPoint(path) else { return "\(path) was no longer mounted" }
                try await host.unmount(path)
                return "unmounted \(path)"
            }
        case .removeFile(let template):
            let path = try context.literal(template, "the file to remove")
            guard record.outputs["wroteFile"] == path else { return nil }
            let pid = record.outputs["pid"]
            return UndoWork(leftForOperator: "remove \(path) by hand") {
                guard let type = try await host.fileType(at: path) else { return "\(path) was already gone" }
                if let pid, type == .regular, try await host.readText(at: path).trimmingWhitespace != pid {
                    return "left \(path) alone: it changed since crplan wrote it"
                }
                try await host.removeFile(at: path)
                return "removed \(path)"
            }
        }
    }
}
