import Testing
@testable import CRPlanCore

/// Lint reads the environment as `crplan plan` does and reports, with a
/// position, what would make planning fail.
@Suite struct PlanValuesTests {
    func lint(_ body: String, environment: [String: String]? = [:]) -> ValidationResult {
        Linter.lint(text: "version: 1\nname: values\ncontainer: counter\n" + body, file: "p.yaml", environment: environment)
    }

    func summary(_ result: ValidationResult) -> [String] {
        result.diagnostics.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.rule.rawValue)" }
    }

    @Test func unsetEnvironmentIsReportedAtTheVariable() {
        let result = lint("imageDir: /srv/${env.IMAGES}\n")
        #expect(summary(result) == ["4:16 unset-environment"])
        #expect(result.diagnostics.first?.message == "`imageDir` uses `${env.IMAGES}`, which is not set and has no default")
        #expect(result.plan == nil)
        // Set, it plans; unknown (nil), it is not judged.
        #expect(lint("imageDir: /srv/${env.IMAGES}\n", environment: ["IMAGES": "x"]).diagnostics == [])
        #expect(lint("imageDir: /srv/${env.IMAGES}\n", environment: nil).diagnostics == [])
    }

    @Test func environmentValuesAreCheckedLikeWrittenOnes() {
        let environment = ["DOCKER_BINARY": "-rf", "DOCKER_HOST": "-v", "DOCKER_HOME": "/", "CRIU_BINARY": "rm"]
        let result = lint("docker:\n  host: ${env.DOCKER_HOST}\n", environment: environment)
        #expect(summary(result) == ["1:1 system-path", "1:1 option-like-value", "1:1 unusual-binary", "5:9 option-like-value"])
        #expect(result.diagnostics[0].message.hasPrefix("`docker.home` (by default `${env.DOCKER_HOME:-/var/lib/docker}`) becomes `/` after substituting variables"))
        #expect(result.diagnostics[1].message == "`docker.binary` (by default `${env.DOCKER_BINARY:-docker}`) becomes `-rf` after substituting variables: it must not begin with `-`: `-rf` would be read as an option")
        #expect(result.diagnostics[3].message.hasPrefix("`docker.host` becomes `-v` after substituting variables"))
    }

    @Test func aDefaultThatMakesAPathRelative() {
        let result = lint("restore:\n  pidfile: ${env.RUN:-run}/x.pid\n")
        #expect(summary(result) == ["5:12 relative-path"])
        #expect(lint("restore:\n  pidfile: ${env.RUN:-run}/x.pid\n", environment: ["RUN": "/run"]).diagnostics == [])
    }

    @Test func theIssuesValuesAreRefused() {
        let cases: [(String, String)] = [
            ("restore:\n  pidfile: /etc/passwd\n", "system-path"),
            ("restore:\n  pidfile: /etc/shadow\n", "system-path"),
            ("restore:\n  pidfile: /root/.ssh/authorized_keys\n", "system-path"),
            ("restore:\n  pidfile: /proc/sysrq-trigger\n", "system-path"),
            ("imageDir: /\n", "system-path"),
            ("imageDir: /etc\n", "system-path"),
            ("imageDir: /proc/self\n", "system-path"),
            ("imageDir: /sys/fs/cgroup\n", "system-path"),
            ("docker:\n  home: /\n", "system-path"),
            ("extMounts:\n  - {path: /, restore: /srv/x}\n", "unsafe-ext-mount"),
            ("extMounts:\n  - {path: /proc, restore: /srv/x}\n", "unsafe-ext-mount"),
            ("extMounts:\n  - {path: /x, restore: /}\n", "unsafe-ext-mount"),
            ("extMounts:\n  - {path: /x, restore: /proc}\n", "unsafe-ext-mount"),
            ("extMounts:\n  - {path: /x, restore: /etc/shadow}\n", "unsafe-ext-mount"),
            ("extMounts:\n  - {path: /x, restore: /var/run/docker.sock}\n", "unsafe-ext-mount"),
            ("extMounts:\n  - {path: \"/x:y\", restore: /srv/x}\n", "unsafe-ext-mount"),
            ("extMounts:\n  - {path: /x, restore: \"/srv/x,ro\"}\n", "unsafe-ext-mount"),
            ("docker:\n  binary: rm\n", "unusual-binary"),
            ("docker:\n  binary: -rf\n", "option-like-value"),
            ("docker:\n  host: \"unix:///run/docker.sock\\n-H\"\n", "control-character"),
            ("docker:\n  host: -v\n", "option-like-value"),
            ("criu:\n  extraArgs: [--action-script=/x]\n", "criu-arg-runs-code"),
            ("criu:\n  extraArgs: [--exec-cmd]\n", "unsafe-criu-arg"),
            ("criu:\n  extraArgs: [--lib=/x]\n", "criu-arg-runs-code"),
            ("criu:\n  extraArgs: [--config=/x]\n", "unsafe-criu-arg"),
            ("criu:\n  extraArgs: [--auto-dedu]\n", "destructive-criu-arg"),
            ("criu:\n  extraArgs: [--images-d=/x]\n", "reserved-criu-arg"),
            ("criu:\n  extraArgs: [--pidf=/x]\n", "reserved-criu-arg"),
            ("criu:\n  extraArgs: [--roo=/x]\n", "reserved-criu-arg"),
            ("criu:\n  extraArgs: [--log-f=/x]\n", "reserved-criu-arg"),
            ("criu:\n  extraArgs: [--leave-run]\n", "reserved-criu-arg"),
            ("criu:\n  extraArgs: [--ext-mount-m=/a:/b]\n", "reserved-criu-arg"),
            ("criu:\n  extraArgs: [\"--tcp-close\\0--auto-dedup\"]\n", "control-character"),
        ]
        for (body, rule) in cases {
            let rules = lint(body).diagnostics.map(\.rule.rawValue)
            #expect(rules.contains(rule), "\(body) gave \(rules)")
        }
    }
}
