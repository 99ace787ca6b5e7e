import CRPlanCore
import CRPlanHost
import Foundation
import Testing

/// `RemoteHost` over the real `SystemHost` and the provisioned private sshd
/// (CRPLAN_SSH_*): a command runs on "the other machine" through the
/// multiplexed ssh argv, hostile arguments arrive byte for byte, the target
/// Docker engine answers over ssh, and the send-staging / verify-staging
/// pipelines (`tar | zstd | ssh … tar --zstd --extract`, `find … sha256sum |
/// ssh … sha256sum --check`) move and check a folder with processes
/// connected by pipes.
@Suite("RemoteHost against the private sshd", .serialized)
struct RemoteHostSSHTests {
    static func remote() throws -> RemoteHost {
        RemoteHost(base: SystemHost(), target: try SSHEnvironment.target(multiplexed: true))
    }

    @Test("a command runs over ssh and its arguments arrive byte for byte")
    func runsACommandOverSSH() async throws {
        let remote = try Self.remote()
        let arguments = SSHRemoteArgvTests.hostile
        let result = try await remote.run(CommandInvocation(argv: ["printf", "%s\\0"] + arguments, timeout: .seconds(60)))
        #expect(result.status == .exited(0), "\(result.standardError)")
        var parts = result.standardOutput.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        #expect(parts.last == "")
        parts.removeLast()
        #expect(parts == arguments)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/crplan-pwned"))
    }

    @Test("the target Docker engine answers over ssh")
    func dockerAnswersOverSSH() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let host = environment["CRPLAN_VFS_DOCKER_HOST"], let docker = environment["DOCKER_BINARY"] else {
            if E2E.required { throw E2EFailure("CRPLAN_E2E=1 but CRPLAN_VFS_DOCKER_HOST / DOCKER_BINARY are not set") }
            try Test.cancel("CRPLAN_VFS_DOCKER_HOST is unset: source /var/lib/crplan-e2e/env")
        }
        let remote = try Self.remote()
        let result = try await remote.run(
            CommandInvocation(argv: [docker, "-H", host, "info", "--format", "{{.ExperimentalBuild}}"], timeout: .seconds(60)))
        #expect(result.status == .exited(0), "\(result.standardError)")
        #expect(result.standardOutput == "true\n")
    }

    @Test("a folder crosses as tar | zstd | ssh tar --zstd --extract, and sha256sum --check over ssh catches a mismatch")
    func sendAndVerifyAFolder() async throws {
        guard Zstd.enabled else { try Test.cancel(Zstd.skipReason) }
        let remote = try Self.remote()
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let source = temp.appending("staging")
        let destination = temp.appending("there")
        try FileManager.default.createDirectory(atPath: source + "/cp 1", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let files = ["cp 1/pages-1.img": Data((0..<70_000).map { UInt8($0 % 251) }), "it's; $(id).tar": Data("changes".utf8)]
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: source + "/" + name)) }

        let send = try CommandPipeline(stages: [
            PipelineStage(["tar", "--create", "--file", "-", "--directory", source, "--numeric-owner", "--xattrs", "."]),
            PipelineStage(["zstd", "--quiet", "--stdout"]),
            PipelineStage(remote.commandLine(for: [
                "tar", "--extract", "--zstd", "--file", "-", "--directory", destination, "--numeric-owner", "--xattrs", "--same-permissions",
            ])),
        ], timeoutMilliseconds: 60_000)
        let sent = try await PipelineRunner().run(send)
        #expect(sent.succeeded, "\(sent.failureDescription ?? "")")
        for (name, data) in files {
            #expect(FileManager.default.contents(atPath: destination + "/" + name) == data, "\(name)")
        }

        let verify = try CommandPipeline(stages: [
            PipelineStage(["find", source, "-type", "f", "-exec", "sha256sum", "--", "{}", "+"]),
            PipelineStage(remote.commandLine(for: ["sha256sum", "--check", "--strict", "--quiet", "-"])),
        ], timeoutMilliseconds: 60_000)
        let verified = try await PipelineRunner().run(verify)
        #expect(verified.succeeded, "\(verified.failureDescription ?? "")")

        // A list whose hash no longer matches the file there fails the check.
        let manifest = temp.appending("manifest")
        try Data((String(repeating: "0", count: 64) + "  " + destination + "/cp 1/pages-1.img\n").utf8).write(to: URL(fileURLWithPath: manifest))
        let tampered = try CommandPipeline(
            stages: [PipelineStage(remote.commandLine(for: ["sha256sum", "--check", "--strict", "--quiet", "-"]))],
            input: .file(manifest), timeoutMilliseconds: 60_000)
        let refused = try await PipelineRunner().run(tampered)
        #expect(!refused.succeeded)
        #expect(refused.stages.last?.status == .exited(1))
    }
}
