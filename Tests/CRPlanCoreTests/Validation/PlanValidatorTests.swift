import Foundation
import Testing
@testable import CRPlanCore

@Suite struct PlanValidatorTests {
    func lint(_ text: String) -> ValidationResult {
        Linter.lint(text: text, file: "p.yaml")
    }

    @Test func minimalPlanGetsEveryDefault() throws {
        let plan = try #require(lint("version: 1\nname: counter-roundtrip\ncontainer: counter\n").plan)
        #expect(plan == Plan(name: "counter-roundtrip", container: try #require(ContainerReference("counter"))))
        #expect(plan.imageDir == Plan.defaultImageDir)
        #expect(plan.extMounts == ExternalMount.dockerManagedFiles)
        #expect(plan.restore.pidfile == "${imageDir}/restore.pid")
    }

    @Test func fullPlanKeepsEveryValue() throws {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/lint/valid/full.yaml")
        let plan = try #require(Linter.lint(text: try String(contentsOf: url, encoding: .utf8), file: "full.yaml").plan)
        let expected = Plan(
            name: "web-checkpoint-2",
            description: "Checkpoint and restore the web container",
            container: try #require(ContainerReference("168aefb8")),
            operation: .roundtrip,
            mode: .external,
            storage: Storage(driver: .overlay2),
            docker: DockerSettings(binary: "${env.DOCKER_BINARY:-/usr/bin/docker}", home: "/srv/docker", host: "unix:///run/docker.sock"),
            criu: CRIUSettings(
                binary: "/usr/local/sbin/criu", logLevel: 2, manageCgroups: false, evasiveDevices: false,
                leaveRunning: false, tcpEstablished: true, shellJob: true, fileLocks: true,
                extraArgs: ["--tcp-close", "--ghost-limit=10M"]
            ),
            imageDir: "${docker.home}/criu_img/${plan.name}/${container.id}",
            extMounts: [
                ExternalMount(path: "/etc/resolv.conf", dump: "/etc/resolv.conf", restore: "${container.dir}/resolv.conf"),
                ExternalMount(path: "/data", dump: "/data-volume", restore: "/srv/volumes/data"),
            ],
            restore: RestoreSettings(pidfile: "/run/crplan/${plan.name}.pid", detach: false),
            timeouts: Timeouts(dump: PlanDuration(milliseconds: 90_000), restore: PlanDuration(milliseconds: 90_000))
        )
        #expect(plan == expected)
    }

    @Test func explicitEmptyExtMountsMeansNone() throws {
        let plan = try #require(lint("version: 1\nname: a\ncontainer: abcd\nextMounts: []\n").plan)
        #expect(plan.extMounts == [])
    }

    @Test func templatesMatchTheModelParser() throws {
        let values = [
            "/a/${container.id}/b", "${env.CRIU_IMG_DIR:-${docker.home}/criu_img}/${container.id}",
            "${env.A:-${env.B:-/x}}/y", "/plain/path", "/é/${plan.name}",
        ]
        for value in values {
            let plan = try #require(lint("version: 1\nname: a\ncontainer: abcd\nimageDir: \"\(value)\"\n").plan, "\(value)")
            #expect(plan.imageDir == (try Template(parsing: value)), "\(value)")
        }
    }

    @Test func warningsKeepThePlan() throws {
        let result = lint("version: 1\nname: ab\ncontainer: abcd\nmode: native\nimageDir: /x\n")
        #expect(result.diagnostics.map(\.rule) == [.nativeImageDir])
        #expect(result.plan?.mode == .native)
    }

    @Test func nativeCheckpointName() throws {
        let plan = try #require(lint("version: 1\nname: a\ncontainer: abcd\nmode: native\nrestore: {checkpoint: cp1}\n").plan)
        #expect(plan.restore.checkpoint == "cp1")
    }

    @Test func lastDuplicateWinsForTheOtherRules() {
        let result = lint("version: 1\nname: a\ncontainer: abcd\nname: B\n")
        #expect(result.diagnostics.map(\.rule) == [.duplicateKey, .invalidName])
        #expect(result.diagnostics.map(\.location?.line) == [4, 4])
    }

    @Test func aliasesRepeatNoDiagnostic() {
        let text = "version: 1\nname: a\ncontainer: abcd\nextMounts:\n  - &m {path: rel, restore: /x}\n"
        #expect(lint(text).diagnostics.map(\.rule) == [.relativePath])
    }

    @Test func structuralRulesAreTheSchemaOnes() {
        let structural = RuleID.allCases.filter(\.isStructural).map(\.rawValue).sorted()
        #expect(structural == [
            "empty-document", "invalid-container", "invalid-enum", "invalid-name", "missing-field", "out-of-range",
            "unknown-key", "unsupported-storage-driver", "unsupported-version", "wrong-type",
        ])
    }

    @Test func syntaxErrorStopsValidation() {
        let result = lint("version: 1\nname: [a\n")
        #expect(result.diagnostics.map(\.rule) == [.yamlSyntax])
        #expect(result.plan == nil)
    }

    @Test func planNames() {
        #expect(PlanNameRule.problem(with: "a") == nil)
        #expect(PlanNameRule.problem(with: "counter-roundtrip-2") == nil)
        #expect(PlanNameRule.problem(with: String(repeating: "a", count: 63)) == nil)
        #expect(PlanNameRule.problem(with: String(repeating: "a", count: 64)) != nil)
        #expect(PlanNameRule.problem(with: "") != nil)
        #expect(PlanNameRule.problem(with: "a-") != nil)
        #expect(PlanNameRule.problem(with: "a_b") != nil)
        #expect(PlanNameRule.problem(with: "ünï") != nil)
        #expect(PlanNameRule.suggestion(for: "My_Plan!") == "my-plan")
    }

    @Test func suggestions() {
        #expect(Suggestions.closest(to: "imagedir", in: TopLevelKey.table.names) == "imageDir")
        #expect(Suggestions.closest(to: "extMount", in: TopLevelKey.table.names) == "extMounts")
        #expect(Suggestions.closest(to: "timeuots", in: TopLevelKey.table.names) == "timeouts")
        #expect(Suggestions.closest(to: "zzz", in: TopLevelKey.table.names) == nil)
        #expect(Suggestions.editDistance(Array("ab".utf8), Array("ba".utf8)) == 1)
    }

    @Test func keyTables() {
        #expect(TopLevelKey.table.names == [
            "version", "name", "description", "container", "operation", "mode", "storage",
            "docker", "criu", "imageDir", "extMounts", "restore", "timeouts", "target", "archive",
        ])
        #expect(CRIUKey.table.names.count == 10)
        #expect(TopLevelKey.table.index(of: "extMounts") == TopLevelKey.extMounts.rawValue)
        #expect(TopLevelKey.table.index(of: "extmounts") == nil)
        #expect(TopLevelKey.table.index(of: "") == nil)
        let long = KeyTable(["a-key-longer-than-sixteen-1", "a-key-longer-than-sixteen-2", "b"])
        #expect(long.index(of: "a-key-longer-than-sixteen-2") == 1)
        #expect(long.index(of: "a-key-longer-than-sixteen-3") == nil)
    }
}
