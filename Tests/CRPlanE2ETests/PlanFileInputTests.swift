import CRPlanCore
import Foundation
import Testing

/// How `crplan lint` and `crplan plan` read what they are given: only
/// regular files, size-bounded, one read path for both commands, and a
/// folder walk that never follows a link to a folder. Runs everywhere (no
/// root, no daemon): each case once hung, ran away or read until abort.
@Suite("crplan reads only plan files (no host needed)", .serialized)
struct PlanFileInputTests {
    static let binary = E2EHost.crplanBinaryPath(ProcessInfo.processInfo.environment)
    static let plan = "version: 1\nname: input\ncontainer: counter\nimageDir: relative\n"

    func crplan(_ arguments: [String], in workspace: Workspace) async throws -> CommandOutput {
        try await LaunchedCommand([Self.binary] + arguments, environment: ProcessInfo.processInfo.environment, directory: workspace.path)
            .wait(timeout: .seconds(60))
    }

    func folder(_ name: String, in workspace: Workspace) throws -> String {
        let path = workspace.file(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A link to /dev/zero was read until abort at 2 GB; a FIFO blocked forever.
    @Test("a device or FIFO, even through a link, is refused unread (exit 2)")
    func specialFilesAreRefused() async throws {
        let workspace = try Workspace(label: "input-special")
        defer { workspace.remove() }
        let zero = workspace.file("zero.yaml")
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        let fifo = workspace.file("fifo.yaml")
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [zero, fifo] {
            for command in ["lint", "plan"] {
                let output = try await crplan([command, path], in: workspace)
                #expect(output.exitCode == 2, "\(output)")
                #expect((output.standardOutput + output.standardError).contains("not a regular file"), "\(output)")
            }
        }
        // A link to a regular file given explicitly is followed.
        let real = workspace.file("real.yaml")
        try Self.plan.write(toFile: real, atomically: true, encoding: .utf8)
        let link = workspace.file("link.yaml")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let linted = try await crplan(["lint", link], in: workspace)
        #expect(linted.exitCode == 1 && linted.standardOutput.contains("link.yaml:4:11"), "\(linted)")
    }

    /// `a -> .` and `b -> .` made the walk run away; `self -> .` linted one file 41 times.
    @Test("the folder walk follows no link to a folder")
    func linkLoopsAreNotFollowed() async throws {
        let workspace = try Workspace(label: "input-loops")
        defer { workspace.remove() }
        let plans = try folder("plans", in: workspace)
        try Self.plan.write(toFile: plans + "/one.yaml", atomically: true, encoding: .utf8)
        for name in ["a", "b", "self"] {
            try FileManager.default.createSymbolicLink(atPath: plans + "/" + name, withDestinationPath: ".")
        }
        let output = try await crplan(["lint", plans], in: workspace)
        #expect(output.exitCode == 1, "\(output)")
        #expect(output.standardOutput.components(separatedBy: "relative-path").count - 1 == 1, "\(output)")
        #expect(output.standardError.contains("1 file,"), "\(output)")
    }

    /// `lint` said error and `plan` said fine for two byte order marks.
    @Test("lint and plan read a file the same way")
    func oneReadPath() async throws {
        let workspace = try Workspace(label: "input-bom")
        defer { workspace.remove() }
        let path = workspace.file("boms.yaml")
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let valid = "version: 1\nname: boms\ncontainer: counter\nimageDir: /tmp/x\n"
        FileManager.default.createFile(atPath: path, contents: Data(bom + bom + Array(valid.utf8)))
        let lint = try await crplan(["lint", path], in: workspace)
        let plan = try await crplan(["plan", path], in: workspace)
        #expect(lint.exitCode == 1, "\(lint)")
        #expect(plan.exitCode == lint.exitCode, "lint: \(lint)\nplan: \(plan)")
        FileManager.default.createFile(atPath: path, contents: Data(bom + Array(valid.utf8)))
        #expect(try await crplan(["lint", path], in: workspace).exitCode == 0)
        #expect(try await crplan(["plan", path], in: workspace).exitCode == 0)
    }

    /// An overflowing duration killed `lint` of a whole folder.
    @Test("a file over the size limit or with an overflowing duration is one positioned error among the others")
    func hostileFilesDoNotStopAFolder() async throws {
        let workspace = try Workspace(label: "input-folder")
        defer { workspace.remove() }
        let plans = try folder("plans", in: workspace)
        try (Self.plan.replacingOccurrences(of: "imageDir: relative\n", with: "timeouts:\n  dump: 9223372036854775808ms\n"))
            .write(toFile: plans + "/a-duration.yaml", atomically: true, encoding: .utf8)
        try (Self.plan + String(repeating: "# padding\n", count: 200_000))
            .write(toFile: plans + "/b-large.yaml", atomically: true, encoding: .utf8)
        try Self.plan.write(toFile: plans + "/c-plain.yaml", atomically: true, encoding: .utf8)
        let output = try await crplan(["lint", plans], in: workspace)
        #expect(output.exitCode == 1, "\(output)")
        #expect(output.standardOutput.contains("a-duration.yaml:5:9: error:"), "\(output)")
        #expect(output.standardOutput.contains("b-large.yaml:1:1: error: the file is larger than 1048576 bytes"), "\(output)")
        #expect(output.standardOutput.contains("c-plain.yaml:4:11: error:"), "\(output)")
        let plan = try await crplan(["plan", plans + "/b-large.yaml"], in: workspace)
        #expect(plan.exitCode == 1 && plan.standardError.contains("b-large.yaml:1:1"), "\(plan)")
    }
}
