import Foundation
import Testing
@testable import CRPlanCore

@Suite struct SSHTargetTests {
    static func target(multiplexing: SSHMultiplexing? = nil) throws -> SSHTarget {
        try SSHTarget(
            destination: "root@127.0.0.1", port: 2222, identityFile: "/var/lib/crplan-e2e/ssh/id_ed25519",
            knownHostsFile: "/var/lib/crplan-e2e/ssh/known_hosts",
            options: [try SSHOption(key: "connecttimeout", value: "10")], multiplexing: multiplexing)
    }

    @Test func buildsTheSSHArgvWithOneQuotedCommandLine() throws {
        let argv = try Self.target().argv(running: ["printf", "%s\\0", "a b", "it's", ""])
        #expect(argv == [
            "ssh", "-F", "none", "-T", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=/var/lib/crplan-e2e/ssh/known_hosts",
            "-o", "IdentitiesOnly=yes", "-i", "/var/lib/crplan-e2e/ssh/id_ed25519", "-p", "2222",
            "-o", "ConnectTimeout=10",
            "--", "root@127.0.0.1", "'printf' '%s\\0' 'a b' 'it'\\''s' ''",
        ])
    }

    @Test func multiplexingAddsControlOptionsAndACloseCommand() throws {
        let target = try Self.target(multiplexing: SSHMultiplexing(controlDirectory: "/var/lib/crplan-e2e/ssh/control", persistSeconds: 30))
        let argv = try target.argv(running: ["true"])
        #expect(argv.contains("ControlMaster=auto"))
        #expect(argv.contains("ControlPath=/var/lib/crplan-e2e/ssh/control/%C"))
        #expect(argv.contains("ControlPersist=30s"))
        #expect(target.closeMasterArgv()?.suffix(4) == ["-O", "exit", "--", "root@127.0.0.1"])
        #expect(try Self.target().closeMasterArgv() == nil)
    }

    @Test(arguments: [
        "-oProxyCommand=evil", "root@-host", "root@", "@host", "ro ot@host", "root@ho st", "a@b@c", "root@host;id",
        "root@$(id)", "1root@host", "", "root@.host", String(repeating: "h", count: 254),
        // No user: ssh would log in as crplan's own user (README: an error).
        "host", "127.0.0.1", "build-01.example.org",
    ])
    func refusesBadDestinations(destination: String) {
        #expect(throws: SSHTargetError.self) { try SSHTarget(destination: destination) }
    }

    @Test(arguments: ["root@127.0.0.1", "deploy_user@build-01.example.org", "root@::1", "_x@h"])
    func acceptsDestinations(destination: String) throws {
        #expect(try SSHTarget(destination: destination).destination == destination)
    }

    @Test func refusesPortsPathsAndOptionsOutsideTheRules() throws {
        #expect(throws: SSHTargetError.invalidPort(0)) { try SSHTarget(destination: "root@h", port: 0) }
        #expect(throws: SSHTargetError.invalidPort(65_536)) { try SSHTarget(destination: "root@h", port: 65_536) }
        for path in ["relative/key", "/with space", "/a/%d/key", "/a/../b", "~/key", "/a\nb"] {
            #expect(throws: SSHTargetError.self) { try SSHTarget(destination: "root@h", identityFile: path) }
            #expect(throws: SSHTargetError.self) { try SSHTarget(destination: "root@h", knownHostsFile: path) }
        }
        for key in ["ProxyCommand", "LocalCommand", "PermitLocalCommand", "StrictHostKeyChecking", "ControlPath", "KnownHostsCommand", "Include"] {
            #expect(throws: SSHTargetError.self) { try SSHOption(key: key, value: "yes") }
        }
        for value in ["a b", "", "x;y", "$(id)", String(repeating: "1", count: 257)] {
            #expect(throws: SSHTargetError.self) { try SSHOption(key: "ConnectTimeout", value: value) }
        }
        let option = try SSHOption(key: "ServerAliveInterval", value: "5")
        #expect(throws: SSHTargetError.duplicateOption("ServerAliveInterval")) {
            try SSHTarget(destination: "root@h", options: [option, option])
        }
        let long = "/" + String(repeating: "d", count: SSHMultiplexing.maximumDirectoryLength)
        #expect(throws: SSHTargetError.self) {
            try SSHTarget(destination: "root@h", multiplexing: SSHMultiplexing(controlDirectory: long))
        }
    }

    @Test(arguments: ["/a//b", "/a/b/", "/a/./b", "/a/b/.", "/a/..", "//a"])
    func refusesPathsThatAreNotNormalised(path: String) {
        #expect(throws: SSHTargetError.self) { try SSHTarget(destination: "root@h", identityFile: path) }
        #expect(throws: SSHTargetError.self) { try SSHTarget(destination: "root@h", knownHostsFile: path) }
        #expect(throws: SSHTargetError.self) {
            try SSHTarget(destination: "root@h", multiplexing: SSHMultiplexing(controlDirectory: path))
        }
    }

    @Test(arguments: ["/tmp", "/tmp/crplan-ssh", "/var/tmp/ssh", "/dev/shm/c", "/run/lock/ssh"])
    func refusesAControlDirectoryEveryoneMayWriteIn(directory: String) {
        #expect(throws: SSHTargetError.controlDirectoryShared(directory, tree: SSHMultiplexing.sharedTree(of: directory) ?? "?")) {
            try SSHTarget(destination: "root@h", multiplexing: SSHMultiplexing(controlDirectory: directory))
        }
    }

    @Test func aControlDirectoryOfRootsOwnIsAccepted() throws {
        for directory in ["/run/crplan/ssh", "/var/lib/crplan/ssh", "/tmpfoo/ssh"] {
            #expect(try SSHTarget(destination: "root@h", multiplexing: SSHMultiplexing(controlDirectory: directory)).multiplexing != nil)
        }
    }

    @Test(arguments: [
        ("ConnectTimeout", "abc"), ("ConnectTimeout", "0"), ("ConnectTimeout", "99999"), ("ConnectTimeout", "-1"),
        ("ConnectionAttempts", "0"), ("ServerAliveInterval", "3601"), ("ServerAliveCountMax", "1000"),
        ("TCPKeepAlive", "maybe"), ("Compression", "1"), ("LogLevel", "loud"), ("AddressFamily", "inet7"),
        ("IPQoS", "af99"), ("RekeyLimit", "1T"), ("RekeyLimit", "8"), ("RekeyLimit", "5G"), ("RekeyLimit", "G"),
    ])
    func refusesOptionValuesOutsideTheirGrammar(key: String, value: String) {
        #expect(throws: SSHTargetError.self) { try SSHOption(key: key, value: value) }
    }

    @Test(arguments: [
        ("ConnectTimeout", "10"), ("ConnectionAttempts", "3"), ("ServerAliveInterval", "0"), ("ServerAliveCountMax", "3"),
        ("TCPKeepAlive", "yes"), ("Compression", "no"), ("LogLevel", "ERROR"), ("AddressFamily", "inet"),
        ("IPQoS", "lowdelay"), ("RekeyLimit", "1G"), ("RekeyLimit", "default"), ("RekeyLimit", "4096"),
    ])
    func acceptsOptionValuesOfTheirGrammar(key: String, value: String) throws {
        #expect(try SSHOption(key: key, value: value).value == value)
    }

    @Test func decodingValidatesToo() throws {
        let good = #"{"destination":"root@127.0.0.1","port":2222,"options":[{"key":"ConnectTimeout","value":"5"}]}"#
        let target = try JSONDecoder().decode(SSHTarget.self, from: Data(good.utf8))
        #expect(target.port == 2222 && target.options.first?.argument == "ConnectTimeout=5")
        let bad = #"{"destination":"root@127.0.0.1","options":[{"key":"ProxyCommand","value":"x"}]}"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode(SSHTarget.self, from: Data(bad.utf8)) }
        let hostile = #"{"destination":"-oProxyCommand=x"}"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode(SSHTarget.self, from: Data(hostile.utf8)) }
    }

    @Test func pipelineModelRefusesEmptyAndNULStagesAndShowsALine() throws {
        #expect(throws: PipelineError.noStages) { try CommandPipeline(stages: []) }
        #expect(throws: PipelineError.emptyStage(index: 1)) { try CommandPipeline(stages: [PipelineStage(["a"]), PipelineStage([])]) }
        #expect(throws: PipelineError.nulByte(index: 0)) { try CommandPipeline(stages: [PipelineStage(["a", "b\u{0}"])]) }
        #expect(throws: PipelineError.relativePath("x")) { try CommandPipeline(stages: [PipelineStage(["a"])], input: .file("x")) }
        let remote = try PipelineStage.remote(["tar", "-x", "-C", "/dst dir"], on: Self.target())
        let pipeline = try CommandPipeline(stages: [PipelineStage(["tar", "-c", "."]), PipelineStage(["zstd"]), remote])
        #expect(pipeline.displayLine.hasPrefix("tar -c . | zstd | ssh -F none -T "))
        #expect(pipeline.stages[2].argv.last == "'tar' '-x' '-C' '/dst dir'")
    }
}
