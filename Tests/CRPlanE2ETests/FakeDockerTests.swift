import CRPlanCore
import Foundation
import Glibc
import Testing

/// `crplan apply` against a fake `docker` (a test double at the process
/// boundary: a script that records its argv and prints crafted `docker
/// inspect` JSON): every hostile value is refused at `inspect`, naming the
/// field, before any side effect (no image dir, no mount, no criu run).
/// And a crplan killed by SIGKILL takes its running child along.
/// Needs root (crplan's checks are those of a root run), not dockerd.
@Suite(
    "crplan apply against a fake docker (root, no daemon)", .serialized,
    .enabled(if: getuid() == 0 || E2EHost.required, "needs root: \(E2EHost.hint)"))
struct FakeDockerTests {
    static let id = String(repeating: "d0c4e7", count: 10) + "abcd"

    /// One test's fake Docker: the scripts, the JSON they print, the record of calls.
    struct FakeDocker {
        let workspace: Workspace
        var home: String { workspace.file("docker-home") }
        var calls: String { workspace.file("calls.log") }
        var inspectJSON: String { workspace.file("inspect.json") }
        var docker: String { workspace.file("fake-docker") }
        var criu: String { workspace.file("fake-criu") }
        /// When this file exists, `inspect` records its pid here and sleeps instead of answering.
        var slowMarker: String { workspace.file("slow") }
        var childPidFile: String { workspace.file("docker.pid") }
        var imageDir: String { workspace.file("images") }

        init(label: String) throws {
            workspace = try Workspace(label: label)
            try FileManager.default.createDirectory(atPath: home + "/containers/\(FakeDockerTests.id)", withIntermediateDirectories: true)
            try script("""
                printf 'docker %s\\n' "$*" >> '\(calls)'
                case " $* " in
                *" inspect "*)
                    if [ -e '\(slowMarker)' ]; then echo $$ > '\(childPidFile)'; exec sleep 60; fi
                    cat '\(inspectJSON)'; exit 0 ;;
                esac
                echo 'fake docker: only inspect is served' >&2; exit 1
                """, at: docker)
            try script("printf 'criu %s\\n' \"$*\" >> '\(calls)'\nexit 1", at: criu)
        }

        func script(_ body: String, at path: String) throws {
            try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            try #require(chmod(path, 0o700) == 0)
        }

        /// A plausible overlay2 container under the fake home, changed by `edit`.
        func writeInspect(_ edit: (inout [String: Any]) -> Void) throws {
            let layer = home + "/overlay2/0123456789abcdef"
            var container: [String: Any] = [
                "Id": FakeDockerTests.id, "Name": "/h3-fake",
                "State": ["Status": "exited", "Running": false, "Paused": false, "Pid": 0, "ExitCode": 0] as [String: Any],
                "GraphDriver": ["Name": "overlay2", "Data": [
                    "LowerDir": layer + "-init/diff:" + home + "/overlay2/base/diff", "UpperDir": layer + "/diff",
                    "WorkDir": layer + "/work", "MergedDir": layer + "/merged",
                ]] as [String: Any],
                "HostnamePath": home + "/containers/\(FakeDockerTests.id)/hostname",
                "HostsPath": home + "/containers/\(FakeDockerTests.id)/hosts",
                "ResolvConfPath": home + "/containers/\(FakeDockerTests.id)/resolv.conf",
                "Path": "/bin/sh", "Args": ["-c", "sleep 1000"], "Mounts": [] as [Any],
            ]
            edit(&container)
            try JSONSerialization.data(withJSONObject: [container]).write(to: URL(fileURLWithPath: inspectJSON))
        }

        var plan: String {
            """
            version: 1
            name: h3-fake-docker
            container: h3-fake
            operation: roundtrip
            mode: external
            docker:
              binary: "\(docker)"
              home: "\(home)"
            storage:
              driver: overlay2
            criu:
              binary: "\(criu)"
            imageDir: "\(imageDir)/${container.id}"
            restore:
              pidfile: "\(workspace.file("counter.pid"))"

            """
        }

        func launchApply() throws -> LaunchedCommand {
            let planPath = workspace.file("plan.yaml")
            try plan.write(toFile: planPath, atomically: true, encoding: .utf8)
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "CRPLAN_FAILPOINT")
            environment.removeValue(forKey: "CRPLAN_STATE_DIR")
            return try LaunchedCommand(
                [E2EHost.crplanBinaryPath(ProcessInfo.processInfo.environment), "apply", planPath,
                 "--state-dir", workspace.file("state")],
                environment: environment, directory: workspace.path, outputPrefix: workspace.nextLogPrefix("apply"))
        }

        func recordedCalls() -> [String] {
            (Proc.read(calls) ?? "").split(separator: "\n").map(String.init)
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        /// What the refusal message must name.
        let field: String
        let edit: @Sendable (inout [String: Any], _ home: String, _ outsider: Int32) -> Void
        var testDescription: String { label }
    }

    static let hostile: [Case] = [
        Case(label: "comma in UpperDir", field: "GraphDriver.Data.UpperDir") { container, home, outsider in
            container[path: "GraphDriver", "Data", "UpperDir"] = "/x,lowerdir=/etc"
        },
        Case(label: "a LowerDir element outside docker.home", field: "GraphDriver.Data.LowerDir") { container, home, outsider in
            container[path: "GraphDriver", "Data", "LowerDir"] = home + "/overlay2/a/diff:/etc"
        },
        Case(label: "MergedDir with ..", field: "GraphDriver.Data.MergedDir") { container, home, outsider in
            container[path: "GraphDriver", "Data", "MergedDir"] = home + "/overlay2/../../../../tmp/h3-merged"
        },
        Case(label: "colon in WorkDir", field: "GraphDriver.Data.WorkDir") { container, home, outsider in
            container[path: "GraphDriver", "Data", "WorkDir"] = home + "/overlay2/a:b/work"
        },
        Case(label: "Id of ..", field: "Id") { container, home, outsider in
            container["Id"] = ".."
        },
        Case(label: "colon in HostsPath", field: "HostsPath") { container, home, outsider in
            container["HostsPath"] = home + "/containers/\(FakeDockerTests.id)/ho:sts"
        },
        Case(label: "ResolvConfPath outside the container dir", field: "ResolvConfPath") { container, home, outsider in
            container["ResolvConfPath"] = "/etc/resolv.conf"
        },
        Case(label: "a name with a newline", field: "Name") { container, home, outsider in
            container["Name"] = "/h3-fake\nforged"
        },
        Case(label: "running with pid 1", field: "State.Pid") { container, home, outsider in
            container["State"] = ["Status": "running", "Running": true, "Pid": 1] as [String: Any]
        },
        Case(label: "running with crplan's parent as pid", field: "State.Pid") { container, home, outsider in
            container["State"] = ["Status": "running", "Running": true, "Pid": Int(getpid())] as [String: Any]
        },
        Case(label: "running with a pid outside the container", field: "State.Pid") { container, home, outsider in
            container["State"] = ["Status": "running", "Running": true, "Pid": Int(outsider)] as [String: Any]
        },
    ]

    @Test("a hostile docker inspect value is refused at inspect, naming the field, before any side effect", arguments: hostile)
    func refusesHostileValue(_ hostile: Case) async throws {
        try #require(getuid() == 0, "needs root")
        let fake = try FakeDocker(label: "fake-docker")
        defer { fake.workspace.remove() }
        // A live process that is neither crplan's ancestor nor in the container.
        let outsider = Process()
        outsider.executableURL = URL(fileURLWithPath: "/bin/sleep")
        outsider.arguments = ["30"]
        try outsider.run()
        defer { outsider.terminate() }
        try fake.writeInspect { hostile.edit(&$0, fake.home, outsider.processIdentifier) }
        let output = try await fake.launchApply().wait(timeout: .seconds(60))
        let said = output.standardOutput + output.standardError
        #expect(output.exitCode != 0 && output.exitCode != nil, "\(output)")
        #expect(said.contains(hostile.field), "the message must name \(hostile.field): \(output)")
        #expect(said.contains("refuses to act on it as root"), "\(output)")
        try expectNoSideEffect(fake)
    }

    @Test("the same plan with a plausible stopped container gets past the checks (the harness is sound)")
    func plausibleContainerPassesValidation() async throws {
        try #require(getuid() == 0, "needs root")
        let fake = try FakeDocker(label: "fake-docker-ok")
        defer { fake.workspace.remove() }
        try fake.writeInspect { _ in }
        let output = try await fake.launchApply().wait(timeout: .seconds(60))
        #expect(output.exitCode == 1, "\(output)")
        #expect((output.standardOutput + output.standardError).contains("is not running"), "\(output)")
        try expectNoSideEffect(fake)
    }

    @Test("docker inspect output over the size bound is refused unparsed")
    func oversizedOutput() async throws {
        try #require(getuid() == 0, "needs root")
        let fake = try FakeDocker(label: "fake-docker-big")
        defer { fake.workspace.remove() }
        try fake.writeInspect { $0["Padding"] = String(repeating: "x", count: 5 << 20) }
        let output = try await fake.launchApply().wait(timeout: .seconds(60))
        #expect(output.exitCode == 1, "\(output)")
        #expect((output.standardOutput + output.standardError).contains("printed more than 1048576 bytes"), "\(output)")
        try expectNoSideEffect(fake)
    }

    @Test("SIGKILL of crplan while its child runs takes the child along")
    func childDiesWithCrplan() async throws {
        try #require(getuid() == 0, "needs root")
        let fake = try FakeDocker(label: "fake-docker-kill")
        defer { fake.workspace.remove() }
        try fake.writeInspect { _ in }
        try #require(FileManager.default.createFile(atPath: fake.slowMarker, contents: nil))
        let crplan = try fake.launchApply()
        let started = await eventually(timeout: .seconds(30)) { Proc.read(fake.childPidFile) != nil }
        guard started, let text = Proc.read(fake.childPidFile),
            let child = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(crplan.pid, SIGKILL)
            Issue.record("the fake docker never started: \(try await crplan.wait(timeout: .seconds(10)))")
            return
        }
        #expect(Proc.isAlive(child))
        #expect(Proc.parent(child) == crplan.pid, "crplan's own child (through setpriv's exec)")
        let childStart = try #require(Proc.startTime(child), "the fake docker's start time")
        kill(crplan.pid, SIGKILL)
        let output = try await crplan.wait(timeout: .seconds(10))
        #expect(output.signal == SIGKILL)
        let gone = await eventually(timeout: .seconds(5)) { !Proc.isAlive(child, startedAt: childStart) }
        if !gone { kill(child, SIGKILL) }
        #expect(gone, "the fake docker (pid \(child)) outlived crplan")
    }

    func expectNoSideEffect(_ fake: FakeDocker) throws {
        #expect(!FileManager.default.fileExists(atPath: fake.imageDir), "an image dir was created")
        let calls = fake.recordedCalls()
        #expect(!calls.isEmpty, "the fake docker was never called")
        #expect(calls.allSatisfy { $0.hasPrefix("docker ") && $0.contains(" inspect ") }, "only inspect may run: \(calls)")
        let mounts = Proc.read("/proc/self/mountinfo") ?? ""
        #expect(!mounts.contains(fake.workspace.path) && !mounts.contains(fake.home), "something was mounted")
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A value at a nested key path, creating dictionaries on the way.
    subscript(path keys: String...) -> Any? {
        get {
            var current: Any? = self
            for key in keys { current = (current as? [String: Any])?[key] }
            return current
        }
        set {
            self = Self.setting(self, keys[...], to: newValue)
        }
    }

    private static func setting(_ dictionary: [String: Any], _ keys: ArraySlice<String>, to value: Any?) -> [String: Any] {
        var copy = dictionary
        guard let key = keys.first else { return copy }
        if keys.count == 1 {
            copy[key] = value
        } else {
            copy[key] = setting(copy[key] as? [String: Any] ?? [:], keys.dropFirst(), to: value)
        }
        return copy
    }
}
