/// What one kind of step does for real, how a resume finds out whether an
/// interrupted attempt finished, and whether finishing it passes a point of
/// no return. One conforming type per kind, each in its own file.
protocol StepBehavior: Sendable {
    /// Runs the step through the context's host; returns its outputs
    /// (journaled with `step-succeeded`). Throws `StepFailure` (or a host or
    /// binding error) when the step failed, `JournalError` when the journal did.
    func run(_ context: StepContext) async throws -> [String: String]

    /// For a step journaled as started but not finished: did it finish?
    func probe(_ context: StepContext) async throws -> ProbeDecision

    /// What to tell the operator when a rollback stops at this step, a
    /// point of no return (`Step.pointOfNoReturn`).
    func rollForward(_ context: StepContext, explicit: Bool) -> RollForward

    /// True for a step that changes nothing on any machine (it reads and
    /// asks, and its probe says rerun): the sequencer journals it only with
    /// the next durable record, and its children not at all (see
    /// `RunSession.runRemainingSteps`). Default false.
    var changesNothing: Bool { get }
}

extension StepBehavior {
    var changesNothing: Bool { false }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        .rerun("it changes nothing, so it runs again")
    }

    func rollForward(_ context: StepContext, explicit: Bool) -> RollForward {
        RollForward(note: "step \(context.step.kind.rawValue) cannot be undone", next: explicit ? nil : NextCommand(.resume, "to finish the remaining steps"))
    }
}

/// Why a rollback stopped at a point of no return, and the way on.
struct RollForward {
    var note: String
    var next: NextCommand?
}

/// A probe's verdict on an interrupted step.
enum ProbeDecision: Sendable, Hashable {
    /// It finished: mark it succeeded with these outputs, never run it again.
    case done([String: String], reason: String)
    /// It did not finish and running it again is safe.
    case rerun(String)
    /// crplan cannot tell, and guessing could lose or duplicate the workload.
    case operatorNeeded(String)
}

/// A step that failed, with what the operator should know.
struct StepFailure: Error, Sendable, CustomStringConvertible {
    var message: String
    /// What it did must not be undone, nor anything before it (e.g. a restored process may run).
    var irreversible: Bool
    var notes: [String]
    /// Commands that continue from the failure, when the notes suggest one.
    var next: [NextCommand]

    init(_ message: String, irreversible: Bool = false, notes: [String] = [], next: [NextCommand] = []) {
        self.message = message
        self.irreversible = irreversible
        self.notes = notes
        self.next = next
    }

    var description: String { message }
}

extension StepKind {
    /// What a step of this kind does for real.
    var behavior: any StepBehavior {
        switch self {
        case .inspect: InspectStep()
        case .openArchive: OpenArchiveStep()
        case .loadCheckpoint: LoadCheckpointStep()
        case .checkMemoryTracking: CheckMemoryTrackingStep()
        case .preDump1, .preDump2, .preDump3, .preDump4, .preDump5, .preDump6, .preDump7, .preDump8, .preDump9, .preDump10:
            PreDumpStep()
        case .dump: DumpStep()
        case .verifyDumpLog: VerifyDumpLogStep()
        case .waitContainerExited: WaitContainerExitedStep()
        case .rebuildRootfs: RebuildRootfsStep()
        case .restore: RestoreStep()
        case .writePidfile: WritePidfileStep()
        case .checkpointCreate: CheckpointCreateStep()
        case .startFromCheckpoint: StartFromCheckpointStep()
        case .checkTarget: CheckTargetStep()
        case .checkArchive: CheckArchiveStep()
        case .transferImage: TransferImageStep()
        case .createTarget: CreateTargetStep()
        case .captureChanges: CaptureChangesStep()
        case .writeArchive: WriteArchiveStep()
        case .sendStaging: SendStagingStep()
        case .verifyStaging: VerifyStagingStep()
        case .applyChanges: ApplyChangesStep()
        case .copyCheckpoint: CopyCheckpointStep()
        case .startTarget: StartTargetStep()
        case .verifyMigration: VerifyMigrationStep()
        case .finalizeSource: FinalizeSourceStep()
        }
    }
}
