import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// `crplan plan --inspect` against a live container.
    @Suite("Dry run with live facts")
    struct PlanInspect {
        @Test("8. plan --inspect binds the live pid, root and cgroup mounts read-only, and prints exactly the argv apply then runs")
        func inspectThenApply() async throws {
            try await withCounter("inspect") { scenario in
                let counter = scenario.counter
                let plan = scenario.plan("inspect")
                scenario.track(plan)
                let planPath = try scenario.workspace.write(plan)

                let dry = try await scenario.crplan.run(["plan", "--inspect", planPath])
                try #require(dry.exitCode == 0, "\(dry)")
                let text = dry.standardOutput
                #expect(!text.contains("${"), "unbound variables left:\n\(text)")
                #expect(text.contains(" -t \(counter.originalPID) "), "the live pid \(counter.originalPID) is not bound")
                #expect(text.contains("--root \(counter.rootfs) "))
                #expect(text.contains("upperdir=\(counter.writableDirectory),"))
                #expect(text.contains("--ext-mount-map /sys/fs/cgroup/memory:/sys/fs/cgroup/memory/docker/\(counter.id) "))
                #expect(text.contains("--ext-mount-map /etc/hostname:\(scenario.daemon.home)/containers/\(counter.id)/hostname "))
                let printed = Set(text.split(separator: "\n").compactMap { line -> String? in
                    let trimmed = line.drop { $0 == " " }
                    return trimmed.hasPrefix("$ ") ? String(trimmed.dropFirst(2)) : nil
                })

                // Read-only: the container runs on untouched, nothing was created.
                let inspect = try await scenario.daemon.inspect(counter.id)
                #expect(inspect.state.running && inspect.state.pid == counter.originalPID)
                #expect(!FileManager.default.fileExists(atPath: try #require(plan.imageDir)))
                #expect(!FileManager.default.fileExists(atPath: scenario.crplan.stateDirectory))

                let output = try await scenario.crplan.apply(plan)
                let events = try Expect.succeeded(output, steps: ExternalRoundtrip.steps, journal: scenario.crplan.journal(plan))
                let ran = events.filter { $0.kind == .commandStarted }.compactMap(\.message)
                #expect(ran.contains { $0.hasPrefix(scenario.host.criuBinary + " dump ") })
                #expect(ran.contains { $0.hasPrefix(scenario.host.criuBinary + " restore ") })
                for command in ran {
                    #expect(printed.contains(command), "apply ran a command the dry run did not print: \(command)")
                }
                try await Expect.restoredExternally(scenario, pidfile: try #require(plan.pidfile))
            }
        }
    }
}
