import Testing
@testable import CRPlanCore

/// `criu.extraArgs` are read as CRIU 4.1.1's getopt_long reads them, then
/// the rules apply to the option each entry resolves to.
@Suite struct CRIUArgumentsTests {
    /// The option names each entry resolves to (or what went wrong).
    func resolved(_ entries: [String]) -> [String] {
        CRIUArguments.resolve(entries).map { finding in
            switch finding {
            case .option(let use): "--" + use.option.name + (use.value.map { "=" + $0 } ?? "")
            case .unknown(_, let written): "unknown " + written
            case .ambiguous(_, let written, _): "ambiguous " + written
            case .notAnOption(let index): "operand " + entries[index]
            case .endOfOptions: "end"
            case .missingValue(_, let written, _): "missing " + written
            }
        }
    }

    func verdicts(_ entries: [String]) -> [CRIUArguments.Verdict] {
        CRIUArguments.resolve(entries).compactMap { finding in
            if case .option(let use) = finding { CRIUArguments.verdict(for: use.option) } else { nil }
        }
    }

    @Test func exactNamesAndUniquePrefixes() {
        #expect(resolved(["--tcp-close"]) == ["--tcp-close"])
        #expect(resolved(["--auto-dedu"]) == ["--auto-dedup"])
        #expect(resolved(["--images-d=/x"]) == ["--images-dir=/x"])
        #expect(resolved(["--pidf=/x"]) == ["--pidfile=/x"])
        #expect(resolved(["--roo=/r"]) == ["--root=/r"])
        #expect(resolved(["--log-f=x.log"]) == ["--log-file=x.log"])
        #expect(resolved(["--leave-run"]) == ["--leave-running"])
        #expect(resolved(["--ext-mount-m=/a:/b"]) == ["--ext-mount-map=/a:/b"])
        #expect(resolved(["--lib=/x"]) == ["--libdir=/x"])
        // `tls` is an exact name although `tls-cert` starts with it.
        #expect(resolved(["--tls"]) == ["--tls"])
        // `--daemon` and `--restore-detached` are one option to getopt_long.
        #expect(resolved(["--daemon"]) == ["--daemon"])
    }

    @Test func ambiguousAndUnknownPrefixes() {
        #expect(resolved(["--tcp"]) == ["ambiguous --tcp"])
        #expect(resolved(["--a"]) == ["ambiguous --a"])
        #expect(resolved(["--no-s"]) == ["ambiguous --no-s"])
        #expect(resolved(["--bogus"]) == ["unknown --bogus"])
        guard case .ambiguous(_, _, let candidates) = CRIUArguments.resolve(["--leave"]).first else {
            Issue.record("--leave must be ambiguous")
            return
        }
        #expect(candidates == ["leave-stopped", "leave-running"])
    }

    @Test func valuesInTheNextEntryOrAttached() {
        #expect(resolved(["--timeout", "10", "--tcp-close"]) == ["--timeout=10", "--tcp-close"])
        #expect(resolved(["--timeout"]) == ["missing --timeout"])
        // Optional values are only attached.
        #expect(resolved(["--manage-cgroups", "full"]) == ["--manage-cgroups", "operand full"])
        #expect(resolved(["--manage-cgroups=full"]) == ["--manage-cgroups=full"])
        #expect(resolved(["value", "--", "-"]) == ["operand value", "end", "operand -"])
    }

    @Test func shortOptionsAndClusters() {
        #expect(resolved(["-D", "/x"]) == ["--images-dir=/x"])
        #expect(resolved(["-D/x"]) == ["--images-dir=/x"])
        #expect(resolved(["-t", "42"]) == ["--tree=42"])
        #expect(resolved(["-vvvv"]) == ["--verbosity=vvv"])
        #expect(resolved(["-v4"]) == ["--verbosity=4"])
        #expect(resolved(["-Rj"]) == ["--leave-running", "--shell-job"])
        #expect(resolved(["-jD/x"]) == ["--shell-job", "--images-dir=/x"])
        #expect(resolved(["-S"]) == ["--restore-sibling"])
        #expect(resolved(["-q"]) == ["unknown -q"])
        #expect(resolved(["-o"]) == ["missing -o"])
    }

    @Test func rulesApplyToTheResolvedOption() {
        #expect(verdicts(["--tcp-close", "--ghost-limit=10M"]) == [.accepted, .accepted])
        for reserved in [["-D", "/x"], ["--images-dir=/x"], ["-t", "1"], ["--tree=1"], ["--root=/r"], ["--pidfile=/p"],
                         ["-o", "x"], ["--log-file=x"], ["-v"], ["-vvvv"], ["--verbosity=4"], ["--ext-mount-map=a:b"],
                         ["-d"], ["--restore-detached"], ["--daemon"], ["--images-d=/x"], ["--pidf=/x"], ["--roo=/x"],
                         ["--log-f=x"], ["--ext-mount-m=a:b"], ["-W", "/w"], ["--work-dir=/w"]] {
            #expect(verdicts(reserved) == [.reserved], "\(reserved)")
        }
        #expect(verdicts(["--file-locks"]) == [.planField("criu.fileLocks")])
        #expect(verdicts(["--no-evasive-devices"]) == [.planField("criu.evasiveDevices")])
        #expect(verdicts(["--leave-run"]) == [.planField("criu.leaveRunning")])
        #expect(verdicts(["-R"]) == [.planField("criu.leaveRunning")])
        #expect(verdicts(["--no-restore-detached"]) == [.planField("restore.detach")])
        #expect(verdicts(["--auto-dedup"]) == [.destructive])
        #expect(verdicts(["--auto-dedu"]) == [.destructive])
        #expect(verdicts(["--auto"]) == [.destructive])
        #expect(verdicts(["--no-auto-dedup"]) == [.accepted])
        for unsafe in ["--config=/x", "--conf=/x", "--exec-cmd", "--exec", "--help", "--version", "-V", "-h"] {
            guard case .unsafe = verdicts([unsafe]).first else {
                Issue.record("\(unsafe) must be unsafe")
                continue
            }
        }
        for runsCode in ["--action-script=/x", "--action=/x", "--lib=/x", "-L/x"] {
            guard case .runsCode = verdicts([runsCode]).first else {
                Issue.record("\(runsCode) must be flagged as running code")
                continue
            }
        }
    }

    /// Every name is unique, every short letter maps to a long option, and
    /// CRIU's help lists options the table must hold.
    @Test func theTableIsConsistent() {
        let names = CRIUOptionTable.options.map(\.name)
        #expect(Set(names).count == names.count)
        for (letter, name) in CRIUOptionTable.shortOptions {
            #expect(CRIUOptionTable.byName[name] != nil, "-\(letter)")
        }
        for name in ["tree", "images-dir", "auto-dedup", "action-script", "libdir", "config", "exec-cmd", "ext-mount-map",
                     "manage-cgroups", "skip-file-rwx-check", "network-lock", "ghost-fiemap", "no-ghost-fiemap"] {
            #expect(CRIUOptionTable.byName[name] != nil, "\(name)")
        }
        #expect(CRIUOptionTable.byName["cpu-cap"]?.argument == .optional)
        #expect(CRIUOptionTable.byName["timeout"]?.argument == .required)
        #expect(CRIUOptionTable.byName["tcp-close"]?.argument == CRIUOptionTable.Argument.none)
    }
}
