import CRPlanCore
import Testing

extension EndToEnd {
    /// Scenario 4: `mode: native` (`docker checkpoint create` / `docker start --checkpoint`).
    @Suite("Native roundtrip")
    struct NativeRoundtrip {
        @Test("4. native mode: afterwards docker ps shows the container Up, the pidfile holds Docker's pid, /foo continues")
        func native() async throws {
            try await withCounter("native") { scenario in
                var plan = scenario.plan("native", mode: "native")
                plan.checkpointName = "e2e-cp"
                scenario.track(plan)
                let census = WorkloadCensus(scenario.counter)
                let output = try await scenario.crplan.apply(plan)
                let copies = await census.stop()
                let events = try Expect.succeeded(
                    output, steps: [.inspect, .checkpointCreate, .waitContainerExited, .startFromCheckpoint, .writePidfile],
                    journal: scenario.crplan.journal(plan))
                #expect(Expect.outputs(of: .waitContainerExited, in: events)["status"] == "exited")

                let counter = scenario.counter
                let ps = try await scenario.daemon.psStatus(counter.id)
                #expect(ps?.contains(" Up ") == true, "docker ps: \(ps ?? "(not listed)")")
                let inspect = try await scenario.daemon.inspect(counter.id)
                #expect(inspect.state.running && inspect.state.pid > 0)
                #expect(inspect.state.pid != counter.originalPID)

                let pidfile = try #require(plan.pidfile)
                let pid = try #require(CounterContainer.pid(inPidfile: pidfile))
                #expect(pid == inspect.state.pid, "pidfile \(pid), Docker \(inspect.state.pid)")
                #expect(Proc.commandLine(pid) == CounterContainer.commandLine)
                #expect(counter.workloadCopies() == [pid])
                #expect(copies.maximum == 1, "\(copies.maximum) copies ran at once: \(copies.pids)")
                try await Expect.continues(counter, pid: pid, lastBeforeDump: nil)

                let checkpoints = try await scenario.daemon.run(["checkpoint", "ls", counter.id])
                #expect(checkpoints.contains("e2e-cp"), "docker checkpoint ls: \(checkpoints)")
                #expect(try await scenario.crplan.status(plan).run.phase == .succeeded)
            }
        }
    }
}
