@testable import CRPlanCLI
import CRPlanCore
import Testing

/// The harness's own logic, without a host: if these were wrong the
/// scenarios could pass for the wrong reason.
@Suite("E2E harness (no host needed)")
struct HarnessTests {
    @Test("counter values: torn last line left out, breaks in the sequence found")
    func counterValues() {
        #expect(CounterValues.parse("0\n1\n2\n3") == [0, 1, 2])
        #expect(CounterValues.parse("0\n1\n") == [0, 1])
        #expect(CounterValues.parse("") == [])
        #expect(CounterValues.breakInSequence([0, 1, 2, 3]) == nil)
        #expect(CounterValues.breakInSequence([0, 1, 2, 0, 1]) != nil, "a restart from 0")
        #expect(CounterValues.breakInSequence([0, 1, 3]) != nil, "a gap")
        #expect(CounterValues.breakInSequence([0, 1, 1, 2]) != nil, "a value written twice")
        #expect(CounterValues.successor(of: 1, in: [0, 1, 2]) == 2)
        #expect(CounterValues.successor(of: 2, in: [0, 1, 2]) == nil)
    }

    @Test("Proc.read reads a /proc file to its end, past the first short read")
    func procFilesAreReadWhole() throws {
        // The test process maps many libraries: its maps is several pages long.
        let text = try #require(Proc.read("/proc/self/maps"))
        #expect(text.utf8.count > 8_192, "\(text.utf8.count) bytes")
        #expect(text.hasSuffix("\n"))
        // The last mapping is the vsyscall page or the stack, never a cut line.
        let last = text.split(separator: "\n").last ?? ""
        #expect(last.contains("[vsyscall]") || last.contains("[stack]") || last.contains("[vdso]"), "\(last)")
    }

    static let daemon = DockerDaemon(binary: "/usr/bin/docker", host: "unix:///run/x.sock", home: "/var/lib/x", environment: [:])

    static let specs: [PlanSpec] = {
        let base = PlanSpec(
            name: "e2e-a", container: "crplan-e2e-counter", daemon: daemon, criuBinary: "/opt/criu",
            imageDir: "/tmp/w/images", pidfile: "/tmp/w/counter.pid")
        var checkpoint = base
        checkpoint.operation = "checkpoint"
        checkpoint.pidfile = nil
        var restore = base
        restore.operation = "restore"
        restore.driver = "auto"
        var native = base
        native.mode = "native"
        native.driver = nil
        native.imageDir = nil
        native.checkpointName = "cp"
        var vfs = base
        vfs.driver = "vfs"
        var missingSource = base
        missingSource.extMounts = PlanSpec.dockerManagedFiles(hostnameSource: "/tmp/w/later/hostname")
        return [base, checkpoint, restore, native, vfs, missingSource]
    }()

    @Test("every plan the scenarios write lints clean with crplan's own linter", arguments: specs)
    func plansLintClean(_ spec: PlanSpec) throws {
        let result = Linter.lint(text: spec.yaml, file: "e2e.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))\n\(spec.yaml)")
        let plan = try #require(result.plan)
        #expect(plan.operation.rawValue == spec.operation && plan.mode.rawValue == spec.mode)
        #expect(plan.docker.host?.description == spec.daemon.host)
    }

    @Test("CRPLAN_FAILPOINT: <event-kind>:<step> or <event-kind>:<step>:<n>")
    func failpointSpec() throws {
        let first = try #require(ProgressPrinter.parseFailpoint("step-finished:dump"))
        #expect(first == ("step-finished", "dump", 1))
        let second = try #require(ProgressPrinter.parseFailpoint("command-finished:rebuild-rootfs:2"))
        #expect(second == ("command-finished", "rebuild-rootfs", 2))
        #expect(ProgressPrinter.parseFailpoint("step-finished") == nil)
        #expect(ProgressPrinter.parseFailpoint("step-finished:dump:0") == nil)
        #expect(ProgressPrinter.parseFailpoint("step-finished:dump:x") == nil)
        #expect(ProgressPrinter.parseFailpoint(":dump") == nil)
    }
}

extension PlanSpec: CustomTestStringConvertible {
    var testDescription: String {
        "\(mode) \(operation)" + (driver.map { " on \($0)" } ?? "") + (extMounts == nil ? "" : " with extMounts")
    }
}
