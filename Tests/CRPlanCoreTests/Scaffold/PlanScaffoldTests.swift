import Testing
@testable import CRPlanCore

@Suite struct PlanScaffoldTests {
    static let id = String(repeating: "ab12", count: 16)

    static func container(
        name: String = "counter", running: Bool = true, driver: String = "overlay2",
        mounts: [ScaffoldContainer.Mount] = [], root: String = "/var/lib/docker"
    ) -> ScaffoldContainer {
        ScaffoldContainer(id: id, name: name, running: running, driver: driver, mounts: mounts, dockerRootDir: root)
    }

    static func lint(_ text: String) -> ValidationResult {
        Linter.lint(text: text, file: "init.yaml", environment: [:])
    }

    @Test("a running container: name, container, operation, mode, driver, docker home, Docker's /etc files; lints clean")
    func basic() throws {
        let text = try PlanScaffold(environment: [:]).render(Self.container())
        let result = Self.lint(text)
        #expect(result.diagnostics == [])
        let plan = try #require(result.plan)
        #expect(plan.name == "counter")
        #expect(plan.container.value == "counter")
        #expect(plan.operation == .roundtrip)
        #expect(plan.mode == .external)
        #expect(plan.storage.driver == .overlay2)
        #expect(plan.docker.home.description == "/var/lib/docker")
        #expect(plan.extMounts == ExternalMount.dockerManagedFiles)
        #expect(text.contains("cgroup v1 controller mounts are not listed: crplan finds them at run time"))
    }

    @Test("volumes and bind mounts become entries to confirm; paths with `#`, quotes and spaces keep their text")
    func mounts() throws {
        let mounts = [
            ScaffoldContainer.Mount(type: "volume", source: "/var/lib/docker/volumes/data/_data", destination: "/data"),
            ScaffoldContainer.Mount(type: "bind", source: "/srv/it's \"a\" #dir", destination: "/mnt/with space #1"),
        ]
        let text = try PlanScaffold(environment: [:]).render(Self.container(mounts: mounts))
        let plan = try #require(Self.lint(text).plan, "\(text)")
        let listed = plan.extMounts.dropFirst(3).map { [$0.path, $0.restore.description] }
        #expect(listed == [["/data", "/var/lib/docker/volumes/data/_data"], ["/mnt/with space #1", "/srv/it's \"a\" #dir"]])
        #expect(text.contains("# a volume (docker inspect `Mounts`): confirm"))
    }

    @Test("hostile values from Docker never break the YAML: refused mounts are comments, the plan lints clean")
    func hostileMounts() throws {
        let mounts = [
            ScaffoldContainer.Mount(type: "bind", source: "/srv/a:b", destination: "/colon"),
            ScaffoldContainer.Mount(type: "bind", source: "/srv/x", destination: "/new\nline: injected"),
            ScaffoldContainer.Mount(type: "bind", source: "/srv/${env.HOME}", destination: "/var"),
            ScaffoldContainer.Mount(type: "bind", source: "/var/run/docker.sock", destination: "/var/run/docker.sock"),
            ScaffoldContainer.Mount(type: "tmpfs", source: "", destination: "/tmp"),
            ScaffoldContainer.Mount(type: "bind", source: "relative", destination: "/rel"),
            ScaffoldContainer.Mount(type: "bind\u{2028}x", source: "/srv/y", destination: "/sep\u{2028}arator"),
        ]
        let text = try PlanScaffold(environment: [:]).render(Self.container(mounts: mounts))
        let result = Self.lint(text)
        #expect(result.diagnostics == [], "\(text)")
        let plan = try #require(result.plan)
        #expect(plan.extMounts == ExternalMount.dockerManagedFiles, "\(text)")
        #expect(!text.contains("\ninjected") && !text.contains("\u{2028}"), "\(text)")
        #expect(text.contains("left out: crplan lint:"), "the docker socket is refused by the linter's rule: \(text)")
        #expect(text.contains("#- path: \"/colon\""), "\(text)")
    }

    @Test("the plan name: --name, else the container's name, else a valid name made from it")
    func names() throws {
        let named = try PlanScaffold(name: "my-plan", environment: [:]).render(Self.container())
        #expect(Self.lint(named).plan?.name == "my-plan")
        let derived = try PlanScaffold(environment: [:]).render(Self.container(name: "My_Counter.1"))
        let plan = try #require(Self.lint(derived).plan)
        #expect(plan.name == "my-counter-1")
        #expect(plan.container.value == "My_Counter.1")
        #expect(throws: ScaffoldError.self) { try PlanScaffold(name: "Bad_Name", environment: [:]).render(Self.container()) }
    }

    @Test("native mode: no storage or extMounts (it would ignore them); checkpoint-only: no restore section")
    func modes() throws {
        let native = try PlanScaffold(mode: .native, environment: [:]).render(Self.container(driver: "btrfs"))
        let nativeResult = Self.lint(native)
        #expect(nativeResult.diagnostics == [], "\(native)")
        #expect(nativeResult.plan?.mode == .native)
        let checkpoint = try PlanScaffold(operation: .checkpoint, dockerHost: "unix:///run/docker.sock", environment: [:]).render(Self.container())
        let result = Self.lint(checkpoint)
        #expect(result.diagnostics == [], "\(checkpoint)")
        #expect(result.plan?.docker.host?.description == "unix:///run/docker.sock")
        #expect(!checkpoint.contains("\nrestore:"))
    }

    @Test("refused: an untrusted id, name or root dir; a stopped container to checkpoint; an unsupported driver")
    func refusals() {
        var badID = Self.container()
        badID.id = "ABC"
        #expect(throws: ScaffoldError.self) { try PlanScaffold().render(badID) }
        #expect(throws: ScaffoldError.self) { try PlanScaffold().render(Self.container(name: "a\nb")) }
        #expect(throws: ScaffoldError.self) { try PlanScaffold().render(Self.container(root: "/var/lib/${env.X}")) }
        #expect(throws: ScaffoldError.self) { try PlanScaffold().render(Self.container(root: "var/lib/docker")) }
        #expect(throws: ScaffoldError.notRunning(container: "counter")) { try PlanScaffold().render(Self.container(running: false)) }
        #expect(throws: ScaffoldError.unsupportedDriver("btrfs")) { try PlanScaffold().render(Self.container(driver: "btrfs")) }
        #expect(throws: Never.self) { try PlanScaffold(operation: .restore, environment: [:]).render(Self.container(running: false)) }
    }
}
