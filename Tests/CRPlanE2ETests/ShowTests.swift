import CRPlanCore
import CRPlanImages
import Foundation
import Testing

extension EndToEnd {
    /// `crplan show` on the image dir of a real roundtrip.
    @Suite("crplan show")
    struct Show {
        @Test("show: after a roundtrip, the image dir shows the container, CRIU, the shell in the tree, non-zero statistics and the run")
        func showAfterRoundtrip() async throws {
            try await withCounter("show") { scenario in
                let plan = scenario.plan("show")
                scenario.track(plan)
                let imageDir = try #require(plan.imageDir)
                let applied = try await scenario.crplan.apply(plan)
                try #require(applied.exitCode == 0, "crplan apply failed: \(applied)")

                let json = try await scenario.crplan.run(["show", imageDir, "--state-dir", scenario.crplan.stateDirectory, "--format", "json"])
                try #require(json.exitCode == 0, "crplan show --format json failed: \(json)")
                let report = try JSONDecoder().decode(CheckpointImageReport.self, from: Data(json.standardOutput.utf8))
                #expect(report.problems.isEmpty, "problems: \(report.problems)")
                #expect(report.container?.id == scenario.counter.id)
                #expect(report.criu?.version?.hasPrefix("4.") == true, "CRIU: \(String(describing: report.criu))")
                #expect(report.criu?.finishedSuccessfully == true)
                let processes = try #require(report.processes)
                let shell = try #require(processes.first, "no process in the tree")
                #expect(shell.pid == 1 && shell.parentPID == 0, "tree root: \(shell)")
                #expect(shell.command == "sh", "the container's init is \(String(describing: shell.command))")
                #expect(shell.state == .alive)
                let dump = try #require(report.statistics?.dump)
                #expect(dump.frozenMicroseconds > 0)
                #expect(dump.pagesScanned > 0 && dump.pagesWritten > 0)
                let restore = try #require(report.statistics?.restore)
                #expect(restore.restoreMicroseconds > 0)
                let size = try #require(report.size)
                #expect(size.pagesBytes > 0 && size.pagesBytes % 4096 == 0)
                #expect(report.runs.map(\.planName) == [plan.name])
                #expect(report.runs.first?.phase == .succeeded)

                let text = try await scenario.crplan.run(["show", imageDir, "--state-dir", scenario.crplan.stateDirectory])
                try #require(text.exitCode == 0, "crplan show failed: \(text)")
                #expect(text.standardOutput.contains("container \(scenario.counter.name) (id \(scenario.counter.id))"))
                #expect(text.standardOutput.contains(" sh\n") || text.standardOutput.contains(" sh "), "\(text.standardOutput)")
                #expect(text.standardOutput.contains("dump: frozen "))
                #expect(text.standardOutput.contains("run ") && text.standardOutput.contains(plan.name))
                #expect(!text.standardOutput.contains("could not read"), "\(text.standardOutput)")

                let missing = try await scenario.crplan.run(["show", imageDir + "/nothing-here"])
                #expect(missing.exitCode == 2, "show of a missing dir: \(missing)")
            }
        }
    }
}
