import Foundation
import Testing
@testable import CRPlanCore

/// `operation: restore` with `archive`: lint-clean as the example writes it,
/// native by default, and each field it cannot honour refused with its reason.
@Suite struct RestoreArchiveLintTests {
    static func plan(_ extra: String = "") -> String {
        """
        version: 1
        name: counter-restore-archive
        container: counter
        operation: restore
        archive: /var/lib/crplan/archives/counter.tar.zst
        docker:
          host: unix:///run/other.sock
          home: /var/lib/other
        \(extra)
        """
    }

    static func diagnostics(_ text: String) -> [Diagnostic] {
        Linter.lint(text: text, file: "p.yaml").diagnostics
    }

    @Test func aPlainRestoreFromAnArchiveIsCleanNativeAndStagesOutsideDocker() throws {
        let result = Linter.lint(text: Self.plan(), file: "p.yaml")
        #expect(result.diagnostics == [])
        let plan = try #require(result.plan)
        #expect(plan.mode == .native)
        #expect(plan.restoresArchive)
        #expect(plan.imageDir == Plan.defaultMigrateImageDir)
    }

    @Test func externalModeIsRefusedWithTheReason() {
        let found = Self.diagnostics(Self.plan("mode: external\n"))
        #expect(found.contains { $0.rule == .archiveExternal && $0.message.contains("docker start --checkpoint") }, "\(found)")
    }

    @Test(arguments: [
        ("extMounts:\n  - {path: /etc/hosts, restore: /tmp/hosts}\n", "`extMounts` cannot be used"),
        ("restore:\n  pidfile: /run/crplan/counter.pid\n", "`restore.pidfile` cannot be used"),
        ("imageDir: /var/lib/crplan/staging/${container.id}\n", "cannot use `${container.id}`"),
    ])
    func fieldsItCannotHonourAreRefused(_ extra: String, _ message: String) {
        let found = Self.diagnostics(Self.plan(extra))
        #expect(found.contains { $0.rule == .restoreArchiveField && $0.message.contains(message) && $0.severity == .error }, "\(found)")
    }

    @Test func aStagingRootInADockerDataRootIsRefused() {
        let found = Self.diagnostics(Self.plan("imageDir: /var/lib/other/staging\n"))
        #expect(found.contains { $0.rule == .systemPath }, "\(found)")
    }

    @Test func archiveWithARoundtripIsStillNotSupported() {
        let text = Self.plan().replacingOccurrences(of: "operation: restore", with: "operation: roundtrip")
        #expect(Self.diagnostics(text).contains { $0.rule == .notSupportedYet })
    }

    @Test func aTargetIsRefused() {
        let found = Self.diagnostics(Self.plan("target:\n  docker: {host: unix:///run/x.sock, home: /var/lib/x}\n"))
        #expect(found.contains { $0.rule == .targetWithoutMigrate }, "\(found)")
    }
}
