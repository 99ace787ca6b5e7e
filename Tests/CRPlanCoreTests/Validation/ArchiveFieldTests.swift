import Testing
@testable import CRPlanCore

/// Migrate's `archive` is a host path crplan writes as root: the messages
/// say so, and it gets imageDir's system-path and data-root rules.
@Suite struct ArchiveFieldTests {
    static func plan(archive: String) -> String {
        """
        version: 1
        name: counter-migrate
        container: counter
        operation: migrate
        archive: "\(archive)"
        target:
          docker:
            host: unix:///run/other.sock
            home: /var/lib/other

        """
    }

    @Test func aVariableIsRefusedAsAHostPath() {
        let messages = Linter.lint(text: Self.plan(archive: "${env.HOME}/x.tar"), file: "p.yaml").diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("a host path crplan writes as root") })
        #expect(!messages.contains { $0.contains("inside the container") })
    }

    @Test(arguments: ["/etc/x.tar", "/root/.ssh/authorized_keys", "/var/lib/docker/x.tar", "/var/lib/other/x", "/proc/self/fd/1", "/", "/tmp"])
    func systemAndDataRootPlacesAreRefused(_ archive: String) {
        let result = Linter.lint(text: Self.plan(archive: archive), file: "p.yaml")
        #expect(result.diagnostics.contains { $0.rule == .systemPath })
    }

    @Test func aFolderOfItsOwnIsAccepted() {
        #expect(Linter.lint(text: Self.plan(archive: "/var/lib/crplan/archives/c.tar.zst"), file: "p.yaml").diagnostics == [])
    }
}
