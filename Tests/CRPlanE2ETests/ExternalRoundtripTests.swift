import CRPlanCore
import CRPlanImages
import Testing

extension EndToEnd {
    /// Scenarios 1 and 2: `crplan apply` of an external roundtrip, the wiki's procedure.
    @Suite("External roundtrip")
    struct ExternalRoundtrip {
        static let steps: [StepKind] = [
            .inspect, .dump, .verifyDumpLog, .waitContainerExited, .rebuildRootfs, .restore, .writePidfile,
        ]

        @Test("1. overlay2: Docker reports Exited, the restored shell's parent is pid 1, the pidfile holds it, /foo continues")
        func overlay2() async throws {
            try await withCounter("ov") { scenario in
                try await roundtrip(scenario)
                #expect(Proc.isMountPoint(scenario.counter.rootfs), "the rebuilt overlay root is not mounted")
            }
        }

        @Test("2. vfs (second daemon): the same roundtrip on the vfs storage driver")
        func vfs() async throws {
            try await withCounter("vfs", vfs: true) { scenario in
                #expect(scenario.counter.driver == "vfs")
                try await roundtrip(scenario)
            }
        }

        @Test("1b. statistics: status shows CRIU's frozen time and pages written, apply ends with the summary line")
        func statistics() async throws {
            try await withCounter("stats") { scenario in
                let plan = scenario.plan("stats-\(scenario.counter.driver)")
                scenario.track(plan)
                // Text output, as an operator sees it.
                let output = try await scenario.crplan.run(["apply", try scenario.crplan.workspace.write(plan), "--state-dir", scenario.crplan.stateDirectory])
                #expect(output.exitCode == 0, "apply: \(output)")
                let last = output.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
                #expect(last.hasPrefix("crplan: total "), "the apply output does not end with the summary: \(output.standardOutput)")
                for part in ["frozen ", "downtime ", "pages written", "images "] {
                    #expect(last.contains(part), "summary line without `\(part)`: \(last)")
                }

                let status = try await scenario.crplan.status(plan)
                let dump = try #require(status.run[.dump]?.measurements, "no measurements on dump: \(scenario.crplan.journal(plan))")
                #expect((dump.statistics?.dump?.frozenMicroseconds ?? 0) > 0, "\(dump)")
                #expect((dump.statistics?.dump?.pagesWritten ?? 0) > 0, "\(dump)")
                #expect((dump.size?.pagesBytes ?? 0) > 0, "\(dump)")
                #expect(dump.problems.isEmpty, "\(dump.problems)")
                let restore = try #require(status.run[.restore]?.measurements)
                #expect((restore.statistics?.restore?.restoreMicroseconds ?? 0) > 0, "\(restore)")
                let summary = try #require(status.summary)
                #expect((summary.frozenMicroseconds ?? 0) > 0)
                #expect((summary.pagesWritten ?? 0) > 0)
                #expect((summary.downtimeMilliseconds ?? 0) > 0)
            }
        }

        private func roundtrip(_ scenario: Scenario) async throws {
            let plan = scenario.plan("roundtrip-\(scenario.counter.driver)")
            scenario.track(plan)
            let census = WorkloadCensus(scenario.counter)
            let output = try await scenario.crplan.apply(plan)
            let copies = await census.stop()
            let events = try Expect.succeeded(output, steps: Self.steps, journal: scenario.crplan.journal(plan))

            // Docker saw the dumped container exit (the step waited for it).
            #expect(Expect.outputs(of: .waitContainerExited, in: events)["status"] == "exited",
                    "wait-container-exited outputs: \(Expect.outputs(of: .waitContainerExited, in: events))")
            let pidfile = try #require(plan.pidfile)
            let pid = try await Expect.restoredExternally(scenario, pidfile: pidfile)
            #expect(Expect.outputs(of: .writePidfile, in: events)["pid"] == String(pid))
            #expect(copies.maximum == 1, "\(copies.maximum) copies of the workload ran at once: \(copies.pids)")
            Expect.imagesKept(try #require(plan.imageDir))

            let status = try await scenario.crplan.status(plan)
            #expect(status.run.phase == .succeeded)
            #expect(status.run.steps.map(\.step) == Self.steps)
            #expect(status.run.steps.allSatisfy { $0.state == .succeeded && $0.attempts == 1 })

            // A finished run has nothing to resume: a usage error, nothing touched.
            let resumed = try await scenario.crplan.resume(plan)
            #expect(resumed.exitCode == 2, "resume of a finished run: \(resumed)")
            #expect(scenario.counter.workloadCopies() == [pid])
        }
    }
}
