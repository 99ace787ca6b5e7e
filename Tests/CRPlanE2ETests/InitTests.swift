import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// `crplan init` on a live container: its plan lints clean and runs.
    @Suite("crplan init")
    struct Init {
        @Test("init → lint → apply: the scaffolded plan roundtrips the overlay2 counter and /foo continues")
        func initLintApply() async throws {
            try await withCounter("init") { scenario in
                let counter = scenario.counter
                let crplan = scenario.crplan
                let initOutput = try await crplan.run(["init", counter.name, "--docker-host", scenario.daemon.host])
                try #require(initOutput.exitCode == 0, "\(initOutput)")
                let text = initOutput.standardOutput
                #expect(text.contains("name: \(counter.name)\n"), "\(text)")
                #expect(text.contains("driver: overlay2\n"), "\(text)")
                #expect(text.contains("home: \(scenario.daemon.home)\n"), "\(text)")
                #expect(text.contains("host: \(YAMLScalarText.scalar(scenario.daemon.host))\n"), "\(text)")
                let path = scenario.workspace.file("init.yaml")
                try text.write(toFile: path, atomically: true, encoding: .utf8)

                let lint = try await crplan.run(["lint", "--strict", path])
                #expect(lint.exitCode == 0, "\(lint)")
                #expect(lint.standardOutput.isEmpty, "\(lint)")

                // The plan's defaults: images in <docker home>/criu_img/<id>, the pidfile in there.
                let imageDir = "\(scenario.daemon.home)/criu_img/\(counter.id)"
                let pidfile = imageDir + "/restore.pid"
                counter.trackPidfile(pidfile)
                defer { try? FileManager.default.removeItem(atPath: imageDir) }
                let apply = try await crplan.run(["apply", path, "--state-dir", crplan.stateDirectory, "--events", "json"])
                _ = try Expect.succeeded(apply, steps: ExternalRoundtrip.steps, journal: apply.standardError)
                try await Expect.restoredExternally(scenario, pidfile: pidfile)
            }
        }

        @Test("init of a container Docker does not know: status 2, nothing on stdout")
        func unknownContainer() async throws {
            let host = try E2EHost.require()
            let workspace = try Workspace(label: "init-unknown")
            defer { workspace.remove() }
            let crplan = Crplan(binary: host.crplanBinary, environment: host.environment, workspace: workspace)
            let output = try await crplan.run(["init", "crplan-no-such-container-\(getpid())", "--docker-host", host.overlay.host])
            #expect(output.exitCode == 2, "\(output)")
            #expect(output.standardOutput.isEmpty, "\(output)")
        }
    }
}
