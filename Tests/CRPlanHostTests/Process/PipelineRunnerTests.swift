import CRPlanCore
import CRPlanHost
import Foundation
import Glibc
import Testing

@Suite("PipelineRunner")
struct PipelineRunnerTests {
    let runner = PipelineRunner()

    @Test("stages are connected by pipes and the last one's output is captured")
    func connectsStages() async throws {
        let pipeline = try CommandPipeline(stages: [
            PipelineStage(["printf", "b\\na\\nc\\n"]), PipelineStage(["sort"]), PipelineStage(["tr", "a-z", "A-Z"]),
        ])
        let result = try await runner.run(pipeline)
        #expect(result.succeeded)
        #expect(result.standardOutput?.text == "A\nB\nC\n")
        #expect(result.stages.count == 3 && result.stages.allSatisfy { $0.status == .exited(0) && $0.pid > 0 })
    }

    @Test("each stage's status and stderr are reported; the blamed stage is the one that failed")
    func reportsEachStage() async throws {
        let pipeline = try CommandPipeline(stages: [
            PipelineStage(["sh", "-c", "echo to-stderr >&2; echo data"]),
            PipelineStage(["sh", "-c", "cat >/dev/null; echo broken >&2; exit 3"]),
            PipelineStage(["cat"]),
        ])
        let result = try await runner.run(pipeline)
        #expect(!result.succeeded && !result.timedOut)
        #expect(result.stages.map(\.status) == [.exited(0), .exited(3), .exited(0)])
        #expect(result.stages[0].standardError.text == "to-stderr\n")
        #expect(result.failure?.argv.last == "cat >/dev/null; echo broken >&2; exit 3")
        #expect(result.failureDescription?.contains("stage 2 of 3") == true)
        #expect(result.failureDescription?.hasSuffix(": broken") == true)
    }

    @Test("a writer whose reader failed dies of SIGPIPE and is not the one blamed")
    func sigpipeIsNotBlamed() async throws {
        let pipeline = try CommandPipeline(stages: [PipelineStage(["yes"]), PipelineStage(["sh", "-c", "exit 4"])])
        let result = try await runner.run(pipeline)
        #expect(result.stages[0].status == .signalled(SIGPIPE))
        #expect(result.failure?.status == .exited(4))
    }

    @Test("on timeout every stage is stopped")
    func timeoutStopsAll() async throws {
        let pipeline = try CommandPipeline(
            stages: [PipelineStage(["sleep", "300"]), PipelineStage(["sleep", "300"]), PipelineStage(["cat"])],
            timeoutMilliseconds: 300)
        let result = try await PipelineRunner(terminationGrace: .milliseconds(200)).run(pipeline)
        #expect(result.timedOut && !result.succeeded)
        #expect(result.stages.allSatisfy { $0.status == .signalled(SIGTERM) || $0.status == .exited(0) })
        for stage in result.stages { #expect(kill(stage.pid, 0) != 0) }
    }

    @Test("stderr capture is bounded to its tail; output goes to a new file; missing programs are refused")
    func boundsFilesAndErrors() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let out = temp.appending("out")
        let pipeline = try CommandPipeline(
            stages: [PipelineStage(["sh", "-c", "seq 1 10000 >&2; echo done"])], output: .file(out, replace: false))
        let result = try await PipelineRunner(standardErrorLimit: 6).run(pipeline)
        #expect(result.succeeded && result.standardOutput == nil)
        #expect(result.stages[0].standardError.text == "10000\n" && result.stages[0].standardError.isTruncated)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "done\n")
        await #expect(throws: PipelineRunError.self) { try await runner.run(pipeline) }  // exists: not replaced
        let missing = try CommandPipeline(stages: [PipelineStage(["echo"]), PipelineStage(["crplan-no-such-program"])])
        await #expect(throws: PipelineRunError.self) { try await runner.run(missing) }
    }

    @Test("tar | zstd | ssh 'tar --zstd -x' copies a folder to the private sshd")
    func tarZstdOverSSH() async throws {
        let target = try SSHEnvironment.target()
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let source = temp.appending("src"), destination = temp.appending("dst with space")
        try FileManager.default.createDirectory(atPath: source + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let payload = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        _ = FileManager.default.createFile(atPath: source + "/sub/data.bin", contents: payload)
        _ = FileManager.default.createFile(atPath: source + "/it's $(odd).txt", contents: Data("x".utf8))
        let pipeline = try CommandPipeline(stages: [
            PipelineStage(["tar", "-C", source, "-c", "."]),
            PipelineStage(["zstd", "-q", "-c"]),
            try PipelineStage.remote(["tar", "--zstd", "-x", "-C", destination], on: target),
        ], timeoutMilliseconds: 60_000)
        let result = try await runner.run(pipeline)
        #expect(result.succeeded, "\(result.failureDescription ?? "")")
        #expect(FileManager.default.contents(atPath: destination + "/sub/data.bin") == payload)
        #expect(FileManager.default.fileExists(atPath: destination + "/it's $(odd).txt"))
    }

    @Test("a failing remote stage is reported with ssh's status and the remote stderr")
    func remoteFailureIsReported() async throws {
        let target = try SSHEnvironment.target()
        let pipeline = try CommandPipeline(stages: [
            PipelineStage(["echo", "x"]),
            try PipelineStage.remote(["ls", "/nonexistent-crplan-dir"], on: target),
        ], timeoutMilliseconds: 60_000)
        let result = try await runner.run(pipeline)
        #expect(!result.succeeded)
        #expect(result.stages[1].status == .exited(2))
        #expect(result.failureDescription?.contains("nonexistent-crplan-dir") == true)
    }
}

@Suite("PipelineRunner over ssh: sending a file")
struct PipelineFileTransferTests {
    @Test("a file piped into a remote `dd of=F` arrives byte for byte")
    func sendsAFile() async throws {
        let target = try SSHEnvironment.target()
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let local = temp.appending("archive.tar.zst"), remote = temp.appending("received it's.tar.zst")
        let payload = Data((0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ $0 >> 9) })
        _ = FileManager.default.createFile(atPath: local, contents: payload)
        let pipeline = try CommandPipeline(
            stages: [try PipelineStage.remote(["dd", "of=" + remote, "bs=1M", "status=none"], on: target)],
            input: .file(local), timeoutMilliseconds: 60_000)
        let result = try await PipelineRunner().run(pipeline)
        #expect(result.succeeded, "\(result.failureDescription ?? "")")
        #expect(FileManager.default.contents(atPath: remote) == payload)
    }
}
