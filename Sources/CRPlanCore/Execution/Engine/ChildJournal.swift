/// The child a step's command started, as journaled (`step-progress`) the
/// moment it exists: its pid, its start time and its command line. After a
/// crash, a resume or rollback finds it in the interrupted attempt's
/// progress values and never runs the step again while that very process
/// (same pid, same start time) lives.
struct JournaledChild: Sendable, Hashable {
    static let pidKey = "child.pid"
    static let startTimeKey = "child.startTime"
    static let commandKey = "child.command"

    var pid: Int
    var startTime: UInt64
    var command: String

    init(pid: Int, startTime: UInt64, command: String) {
        self.pid = pid
        self.startTime = startTime
        self.command = command
    }

    /// The progress values that journal `child` started by `argv`.
    static func progressValues(_ child: StartedChild, argv: [String]) -> [String: String] {
        var values = [pidKey: String(child.pid), commandKey: ShellQuoting.line(argv)]
        if let startTime = child.startTime { values[startTimeKey] = String(startTime) }
        return values
    }

    /// The child in a step's journaled values: nil unless the pid is a
    /// plausible process id and a start time was recorded (a child already
    /// gone when it was reported has none, and nothing to wait for).
    init?(values: [String: String]) {
        guard let pidText = values[Self.pidKey], let pid = Int(pidText), pid > 1, pid <= 4_194_304,
              let startText = values[Self.startTimeKey], let startTime = UInt64(startText) else { return nil }
        self.pid = pid
        self.startTime = startTime
        command = String((values[Self.commandKey] ?? "?").prefix(300))
    }
}

extension StepContext {
    /// `host.run(invocation)`, journaling the child's pid and start time as
    /// step progress as soon as the host reports it, before crplan waits for
    /// the child. The host waits for the child only once the record is
    /// written. A journal failure ends the step once the child has ended
    /// (it is never left unwaited-for).
    ///
    /// The record is written without an fsync (`RunSession.appendWithoutSync`):
    /// it is read only when crplan died and the machine did not — then the
    /// write is in the page cache, where the resume reads it, and the resume
    /// waits for the child and settles its group as always. A machine crash
    /// may lose it, but it kills the child and its whole process group too:
    /// after the reboot there is nothing to wait for (`waitForJournaledChild`
    /// and `LeftoverGroup` would find no live process of that pid and start
    /// time), and the probe decides from what the child left on disk, as it
    /// must anyway. The next durable record fsyncs it with itself.
    ///
    /// A step that changes nothing (`StepBehavior.changesNothing`) journals
    /// no child: it is not journaled as started either, and a leftover
    /// read-only command beside a resume harms nothing.
    func runJournalingChild(_ invocation: CommandInvocation, on host: any Host) async throws -> CommandResult {
        let journalsChild = !step.kind.behavior.changesNothing
        let (starts, startSink) = AsyncStream<StartedChild>.makeStream()
        let (journaled, journaledSink) = AsyncStream<Void>.makeStream()
        async let outcome: Result<CommandResult, HostError> = {
            defer { startSink.finish() }
            do throws(HostError) {
                return .success(try await host.run(invocation) { child in
                    startSink.yield(child)
                    startSink.finish()
                    for await _ in journaled { break }
                })
            } catch {
                return .failure(error)
            }
        }()
        var journalError: JournalError?
        for await child in starts {
            do throws(JournalError) {
                if journalsChild {
                    try await session.appendWithoutSync(.stepProgress(.init(
                        step: step.kind, values: JournaledChild.progressValues(child, argv: invocation.argv), at: await session.host.now())))
                }
                await session.emit(.commandSpawned, step: step.kind, attempt: attempt, message: "pid \(child.pid)")
            } catch {
                journalError = error
            }
            break
        }
        journaledSink.finish()
        let result = try await outcome.get()
        if let journalError { throw journalError }
        return result
    }
}

extension RunSession {
    /// Before an interrupted step is probed: if its attempt journaled a
    /// child that still runs (same pid and start time), wait for it to end
    /// within the step's time limit, polling; if it outlives that, stop and
    /// name it. Never lets a resume or rollback act beside a live `criu dump`.
    ///
    /// Then settles what is left of the child's process group (see
    /// `LeftoverGroup`): waits, within the same limit, for members still at
    /// work, and SIGKILLs the group when all that is left is stopped —
    /// journaled (`child.groupKilled`) and reported, naming each process.
    func waitForJournaledChild(of step: Step, record: StepRecord) async throws(ExecutorError) {
        guard record.state == .running, let child = JournaledChild(values: record.outputs) else { return }
        let now = await host.now()
        let started = record.startedAt ?? now
        let deadline = started.adding(milliseconds: Int64(step.timeout.milliseconds))
        try await waitForLeader(child, of: step, deadline: deadline)
        try await settleGroup(of: child, step: step, deadline: deadline)
    }

    private func waitForLeader(_ child: JournaledChild, of step: Step, deadline: Timestamp) async throws(ExecutorError) {
        guard await isAlive(child) else { return }
        let poll = Duration.milliseconds(Self.childPollMilliseconds)
        await emit(.note, step: step.kind, message: "the interrupted attempt's child pid \(child.pid) (`\(child.command)`) still runs: waiting for it to end")
        while await isAlive(child) {
            let now = await host.now()
            guard now.millisecondsSinceEpoch < deadline.millisecondsSinceEpoch else {
                throw .needsOperator(
                    planName: planName, step: step.kind,
                    message: "pid \(child.pid) (`\(child.command)`), started by the interrupted attempt, still runs past the step's time limit "
                        + "(\(step.timeout)): crplan will not run the step again beside it. Find out what it is doing (its log in the "
                        + "image dir), let it end or kill it (kill \(child.pid)), then resume or roll back"
                )
            }
            await host.sleep(for: poll)
        }
        await emit(.note, step: step.kind, message: "pid \(child.pid) ended; probing what the interrupted attempt did")
    }

    static let childPollMilliseconds = 200
    /// How many polls a killed group gets to vanish (reaped by init) before
    /// crplan gives up and asks the operator: 5 s.
    static let killedGroupPolls = 25
    static let groupKilledKey = "child.groupKilled"

    private func settleGroup(of child: JournaledChild, step: Step, deadline: Timestamp) async throws(ExecutorError) {
        let poll = Duration.milliseconds(Self.childPollMilliseconds)
        var waitingNoted = false
        var pollsSinceKill: Int?
        while true {
            let group = LeftoverGroup(child: child, processes: await host.processes(inGroup: child.pid))
            switch group.decision {
            case .nothingLeft:
                if waitingNoted || pollsSinceKill != nil {
                    await emit(.note, step: step.kind, message: "nothing is left of pid \(child.pid)'s process group; probing what the interrupted attempt did")
                }
                return
            case .stoppedLeftovers(let members):
                if let polls = pollsSinceKill {
                    guard polls < Self.killedGroupPolls else { throw leftoverError(child, step: step, members: members, killed: true) }
                    pollsSinceKill = polls + 1
                    await host.sleep(for: poll)
                    continue
                }
                let names = LeftoverGroup.describe(members)
                do throws(JournalError) {
                    try await append(.stepProgress(.init(step: step.kind, values: [Self.groupKilledKey: names], at: await host.now())))
                } catch {
                    throw .journal(error)
                }
                do throws(HostError) {
                    try await host.killProcessGroup(child.pid)
                } catch {
                    throw .needsOperator(
                        planName: planName, step: step.kind,
                        message: "cannot kill what is left of the interrupted attempt's process group \(child.pid) (\(names)): \(error). "
                            + "Kill it (kill -KILL -- -\(child.pid)), then resume or roll back")
                }
                await emit(.note, step: step.kind, message: "killed what was left, stopped, of the interrupted attempt's process group \(child.pid) "
                    + "(started by `\(child.command)`): \(names)")
                pollsSinceKill = 0
            case .working(let members):
                let now = await host.now()
                guard now.millisecondsSinceEpoch < deadline.millisecondsSinceEpoch else {
                    throw leftoverError(child, step: step, members: members, killed: false)
                }
                if !waitingNoted {
                    waitingNoted = true
                    await emit(.note, step: step.kind, message: "processes of the interrupted attempt's process group \(child.pid) still run: "
                        + "\(LeftoverGroup.describe(members)); waiting for them to end")
                }
                await host.sleep(for: poll)
            }
        }
    }

    private func leftoverError(_ child: JournaledChild, step: Step, members: [RunningProcess], killed: Bool) -> ExecutorError {
        let what = killed ? "were SIGKILLed but are still there" : "still run past the step's time limit (\(step.timeout))"
        return .needsOperator(
            planName: planName, step: step.kind,
            message: "processes of the interrupted attempt's process group \(child.pid) (started by `\(child.command)`) \(what): "
                + "\(LeftoverGroup.describe(members)). crplan will not run the step again beside them. Find out what they are doing "
                + "(the step's log in the image dir), let them end or kill them (kill -KILL -- -\(child.pid)), then resume or roll back")
    }

    private func isAlive(_ child: JournaledChild) async -> Bool {
        guard let process = await host.process(child.pid) else { return false }
        // A host that cannot read the start time: assume it is that child (bounded by the time limit).
        guard let startTime = process.startTime else { return true }
        return startTime == child.startTime
    }
}
