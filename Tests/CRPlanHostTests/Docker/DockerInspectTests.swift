import CRPlanCore
import CRPlanHost
import Testing

@Suite("DockerInspect")
struct DockerInspectTests {
    @Test("a running overlay2 container decodes with its GraphDriver data and command line")
    func overlayRunning() throws {
        let inspect = try DockerInspect.decode(
            standardOutput: try Fixture.bytes("inspect/overlay2-running.json"), standardError: "",
            status: .exited(0), reference: "crplan-host-fx-run")
        #expect(inspect.id == FixtureIDs.overlayRunning)
        #expect(inspect.name == "/crplan-host-fx-run")
        #expect(inspect.plainName == "crplan-host-fx-run")
        #expect(inspect.state.status == "running" && inspect.state.running)
        #expect(inspect.state.pid == 22438)
        #expect(inspect.graphDriver.name == "overlay2")
        let layer = "\(FixtureIDs.overlayHome)/overlay2/cbae7d68296ec8dda1682f6587ce1fbb5371d3cee5337d7ed041153466e7147d"
        #expect(inspect.graphDriver.data?["MergedDir"] == "\(layer)/merged")
        #expect(inspect.graphDriver.data?["UpperDir"] == "\(layer)/diff")
        #expect(inspect.graphDriver.data?["WorkDir"] == "\(layer)/work")
        #expect(inspect.graphDriver.data?["LowerDir"]?.hasPrefix("\(layer)-init/diff:") == true)
        let containerDir = "\(FixtureIDs.overlayHome)/containers/\(FixtureIDs.overlayRunning)"
        #expect(inspect.hostnamePath == "\(containerDir)/hostname")
        #expect(inspect.hostsPath == "\(containerDir)/hosts")
        #expect(inspect.resolvConfPath == "\(containerDir)/resolv.conf")
        let script = "i=0; while true; do echo $i >> /foo; i=$(expr $i + 1); sleep 1; done"
        #expect(inspect.commandLine == ["/bin/sh", "-c", script])
        #expect(inspect.config?.cmd == ["/bin/sh", "-c", script])
        #expect(inspect.config?.entrypoint == nil)
        #expect(inspect.mounts.isEmpty)
    }

    @Test("an exited container has pid 0 and its exit code")
    func overlayExited() throws {
        let inspect = try DockerInspect.decode(
            standardOutput: try Fixture.bytes("inspect/overlay2-exited.json"), standardError: "",
            status: .exited(0), reference: "e4f0314df723")
        #expect(inspect.id == FixtureIDs.overlayExited)
        #expect(inspect.state.status == "exited" && !inspect.state.running)
        #expect(inspect.state.pid == 0)
        #expect(inspect.state.exitCode == 3)
    }

    @Test("vfs reports GraphDriver.Data null")
    func vfs() throws {
        let inspect = try DockerInspect.decode(
            standardOutput: try Fixture.bytes("inspect/vfs-running.json"), standardError: "",
            status: .exited(0), reference: "crplan-host-fx-vfs")
        #expect(inspect.graphDriver.name == "vfs")
        #expect(inspect.graphDriver.data == nil)
        #expect(inspect.state.pid == 22606)
    }

    @Test("Docker's not-found answers are notFound")
    func notFound() throws {
        let empty = try Fixture.bytes("inspect/not-found.json")
        #expect(throws: DockerInspectError.notFound(reference: "nonexistent-xyz")) {
            try DockerInspect.decode(
                standardOutput: empty, standardError: "Error: No such container: nonexistent-xyz\n",
                status: .exited(1), reference: "nonexistent-xyz")
        }
        #expect(throws: DockerInspectError.notFound(reference: "x")) {
            try DockerInspect.decode(standardOutput: [], standardError: "Error: No such object: x\n", status: .exited(1), reference: "x")
        }
        #expect(throws: DockerInspectError.notFound(reference: "x")) {
            try DockerInspect.decode(standardOutput: Array("[]".utf8), standardError: "", status: .exited(0), reference: "x")
        }
    }

    @Test("an ambiguous prefix is reported as such")
    func ambiguous() throws {
        #expect(throws: DockerInspectError.ambiguous(reference: "a", candidates: [])) {
            try DockerInspect.decode(
                standardOutput: Array("[]\n".utf8),
                standardError: "Error response from daemon: Multiple IDs found with provided prefix: a\n",
                status: .exited(1), reference: "a")
        }
        let one = try Fixture.text("inspect/overlay2-running.json").trimmingSpacesAndBrackets
        let two = try Fixture.text("inspect/overlay2-exited.json").trimmingSpacesAndBrackets
        #expect(throws: DockerInspectError.ambiguous(
            reference: "crplan", candidates: [FixtureIDs.overlayRunning, FixtureIDs.overlayExited])) {
            try DockerInspect.decode(
                standardOutput: Array("[\(one),\(two)]".utf8), standardError: "", status: .exited(0), reference: "crplan")
        }
    }

    @Test("other failures keep Docker's message; bad JSON names what is wrong")
    func failures() throws {
        let message = "Cannot connect to the Docker daemon at unix:///run/x.sock. Is the docker daemon running?"
        #expect(throws: DockerInspectError.failed(reference: "c", status: .exited(1), message: message)) {
            try DockerInspect.decode(standardOutput: Array("[]".utf8), standardError: message + "\n", status: .exited(1), reference: "c")
        }
        let error = #expect(throws: DockerInspectError.self) {
            try DockerInspect.decode(standardOutput: Array(#"[{"Id":"x"}]"#.utf8), standardError: "", status: .exited(0), reference: "c")
        }
        #expect(error?.description == "cannot read docker inspect output for c: missing [0].Name")
        #expect(throws: DockerInspectError.self) {
            try DockerInspect.decode(standardOutput: Array("not json".utf8), standardError: "", status: .exited(0), reference: "c")
        }
    }

    @Test("the argv never lets a reference become an option")
    func argv() {
        #expect(DockerInspect.argv(docker: "/usr/bin/docker", host: "unix:///run/d.sock", reference: "web")
            == ["/usr/bin/docker", "-H", "unix:///run/d.sock", "inspect", "--type", "container", "--", "web"])
        #expect(DockerInspect.argv(docker: "docker", reference: "web") == ["docker", "inspect", "--type", "container", "--", "web"])
    }
}

extension String {
    /// The single object inside a one-element JSON array.
    fileprivate var trimmingSpacesAndBrackets: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace || first == "[" { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace || last == "]" { text = text.dropLast() }
        return String(text)
    }
}
