import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// Scenario 7: two `crplan apply` of one plan at the same time.
    @Suite("Lock")
    struct Lock {
        @Test("7. a second apply of a running plan (or of another plan on its container) exits 3 at once, naming the holder's pid; the first completes")
        func concurrentApply() async throws {
            try await withCounter("lock") { scenario in
                // The first run must still hold the lock when the second
                // starts: its CRIU is a wrapper that holds `criu dump` until
                // the test opens a gate, then execs the real CRIU unchanged.
                let gate = try CriuGate(workspace: scenario.workspace, realCriu: scenario.host.criuBinary)
                var plan = scenario.plan("lock")
                plan.criuBinary = gate.wrapper
                scenario.track(plan)
                let census = WorkloadCensus(scenario.counter)
                let planPath = try scenario.workspace.write(plan)

                let first = try scenario.crplan.launch(["apply", planPath, "--state-dir", scenario.crplan.stateDirectory, "--events", "json"])
                do {
                    try await holdAndRace(scenario, plan, planPath: planPath, first: first, gate: gate, census: census)
                } catch {
                    // Never leave the first run blocked behind the gate: make
                    // its dump fail (nothing dumped), let it roll back and end.
                    gate.abort()
                    _ = try? await first.wait(timeout: .seconds(60))
                    throw error
                }
            }
        }

        private func holdAndRace(
            _ scenario: Scenario, _ plan: PlanSpec, planPath: String, first: LaunchedCommand, gate: CriuGate, census: WorkloadCensus
        ) async throws {
            let stateDir = scenario.crplan.stateDirectory
            let held = await eventually(timeout: .seconds(60)) { gate.isWaiting || !first.isRunning }
            try #require(held && gate.isWaiting, "the first apply never reached criu dump: \(first.standardOutput())\n\(first.standardError())")
            #expect(first.isRunning)

            let second = try await scenario.crplan.run(["apply", planPath, "--state-dir", stateDir, "--events", "json"], timeout: .seconds(30))
            #expect(second.exitCode == 3, "second apply: \(second)")
            // It gave up at once: the first still holds the lock, parked at its criu dump.
            #expect(first.isRunning && gate.isWaiting, "the second apply waited for the first to finish")
            let said = second.standardError + second.standardOutput
            #expect(said.contains(String(first.pid)), "the refusal does not name the holder pid \(first.pid): \(said)")
            let secondEvents = (try? Crplan.events(second.standardOutput)) ?? []
            #expect(!secondEvents.contains { $0.kind == .stepStarted }, "the second apply ran steps: \(secondEvents.map(\.kind))")

            // Another plan on the same container is refused too (the container lock).
            var other = scenario.plan("lock-other")
            other.imageDir = scenario.workspace.file("images-other")
            other.pidfile = scenario.workspace.file("other.pid")
            scenario.track(other)
            let third = try await scenario.crplan.apply(other)
            #expect(third.exitCode == 3, "apply of another plan on the same container: \(third)")
            #expect((third.standardError + third.standardOutput).contains(String(first.pid)), "\(third)")
            #expect(!((try? Crplan.events(third.standardOutput)) ?? []).contains { $0.kind == .stepStarted })
            #expect(first.isRunning, "the first apply ended while the others ran")

            gate.open()
            let output = try await first.wait(timeout: .seconds(120))
            _ = try Expect.succeeded(
                output, steps: ExternalRoundtrip.steps, journal: scenario.crplan.journal(plan))
            try await Expect.restoredExternally(scenario, pidfile: try #require(plan.pidfile))
            let copies = await census.stop()
            #expect(copies.maximum == 1, "\(copies.maximum) copies ran at once: \(copies.pids)")

            // One run in the journal: the refused apply wrote nothing.
            let journal = scenario.crplan.journal(plan)
            #expect(journal.components(separatedBy: "\"type\":\"run-started\"").count - 1 == 1, "journal:\n\(journal)")
            let status = try await scenario.crplan.status(plan)
            #expect(status.run.phase == .succeeded && status.history.isEmpty)
        }
    }
}

/// A `criu` wrapper that blocks `criu dump` until the test opens the gate,
/// then execs the real CRIU with the same arguments (a test fixture: crplan
/// itself never runs a shell).
struct CriuGate {
    let wrapper: String
    private let waitingFile: String
    private let openFile: String
    private let abortFile: String

    init(workspace: Workspace, realCriu: String) throws {
        wrapper = workspace.file("criu-gate")
        waitingFile = workspace.file("gate.waiting")
        openFile = workspace.file("gate.open")
        abortFile = workspace.file("gate.abort")
        let script = """
            #!/bin/sh
            if [ "$1" = dump ]; then
              : > '\(waitingFile)'
              while [ ! -e '\(openFile)' ]; do sleep 0.05; done
              if [ -e '\(abortFile)' ]; then echo 'criu-gate: aborted by the test' >&2; exit 1; fi
            fi
            exec '\(realCriu)' "$@"

            """
        try script.write(toFile: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
    }

    var isWaiting: Bool { FileManager.default.fileExists(atPath: waitingFile) }

    func open() { _ = FileManager.default.createFile(atPath: openFile, contents: nil) }

    /// Lets a held dump go on to fail at once, without dumping.
    func abort() {
        _ = FileManager.default.createFile(atPath: abortFile, contents: nil)
        open()
    }
}
