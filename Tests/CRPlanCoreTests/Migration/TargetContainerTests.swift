import Foundation
import Testing
@testable import CRPlanCore

/// What the target engine says, decoded in pure code, and the deleted files
/// a migration removes on the target: bounded, checked, never escaping the root.
@Suite struct TargetContainerTests {
    static let id = String(repeating: "ef", count: 32)

    @Test func dockerDiffGivesTheDeletedFilesOnly() throws {
        let paths = try DeletedPaths.parse(dockerDiff: "C /dir\nA /dir/b.txt\nD /dir/a.txt\nD /data/old file.txt\nA /added\n")
        #expect(paths == ["data/old file.txt", "dir/a.txt"])
    }

    @Test(arguments: [
        "D /a/../../etc/passwd", "D /./x", "D //x", "D /a/", "D relative", "X /a", "D /a\u{1}b", "garbage",
    ])
    func hostileDiffLinesAreRefused(_ line: String) {
        #expect(throws: MigrationRefusal.self) { try DeletedPaths.parse(dockerDiff: line + "\n") }
    }

    @Test func tooManyDeletionsAreRefused() {
        let text = (0...DeletedPaths.maximumCount).map { "D /f\($0)" }.joined(separator: "\n")
        #expect(throws: MigrationRefusal.self) { try DeletedPaths.parse(dockerDiff: text) }
    }

    @Test func findSelectsEachPathLiterallyInsideTheRoot() {
        let root = "/var/lib/docker/vfs/dir/m1"
        #expect(DeletedPaths.findArguments(root: root, paths: ["a/b*", "c[1]"]) == [
            root, "-mindepth", "1", "(", "-path", root + "/a/b\\*", "-o", "-path", root + "/c\\[1\\]", ")",
        ])
        #expect(DeletedPaths.findArguments(root: root, paths: []) == [root, "-maxdepth", "0", "-false"])
    }

    @Test func theTargetRootFollowsTheDriver() throws {
        let vfs = try TargetContainer(id: Self.id, driver: "vfs").withMountID("m1\n", targetHome: "/var/lib/t/")
        #expect(vfs.rootfs == "/var/lib/t/vfs/dir/m1")
        let overlay = try TargetContainer(id: Self.id, driver: "overlay2").withMountID("m2", targetHome: "/var/lib/t")
        #expect(overlay.rootfs == "/var/lib/t/overlay2/m2/diff")
        #expect(throws: MigrationRefusal.self) { try TargetContainer(id: Self.id, driver: "vfs").withMountID("../x", targetHome: "/t") }
        #expect(throws: MigrationRefusal.self) { try TargetContainer(id: Self.id, driver: "vfs").withMountID("", targetHome: "/t") }
        #expect(throws: MigrationRefusal.self) { try TargetContainer(id: Self.id, driver: "aufs").withMountID("m", targetHome: "/t") }
    }

    @Test func theTargetInspectIsDecodedAndChecked() throws {
        let json = """
            [{"Id": "\(Self.id)", "State": {"Running": true, "Pid": 77, "Status": "running"}, "GraphDriver": {"Name": "vfs"},
              "Path": "/bin/sh", "Args": ["-c", "x"]}]
            """
        let state = try TargetInspect(inspectOutput: CommandResult(status: .exited(0), standardOutput: json), what: "target")
        #expect(state.id == Self.id && state.running && state.pid == 77 && state.driver == "vfs")
        #expect(state.commandLine == ["/bin/sh", "-c", "x"])
        let badID = json.replacingOccurrences(of: Self.id, with: "../x")
        #expect(throws: MigrationRefusal.self) { try TargetInspect(inspectOutput: CommandResult(status: .exited(0), standardOutput: badID), what: "target") }
        #expect(throws: MigrationRefusal.self) {
            try TargetInspect(inspectOutput: CommandResult(status: .exited(0), standardOutput: json, standardOutputTruncated: true), what: "target")
        }
        #expect(throws: MigrationRefusal.self) {
            try TargetInspect(inspectOutput: CommandResult(status: .exited(0), standardOutput: "[" + json.dropFirst().dropLast() + "," + json.dropFirst()), what: "t")
        }
    }
}
