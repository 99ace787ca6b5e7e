import Foundation
import Testing

/// `crplan export` / `crplan import` as an operator runs them, on a
/// synthetic image dir (no Docker needed; zstd must be installed).
@Suite(
    "crplan export and import", .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["CRPLAN_E2E"] == "1"
            || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
                FileManager.default.isExecutableFile(atPath: $0 + "/zstd")
            },
        "zstd is not installed (scripts/provision installs it)"))
struct ArchiveCommandTests {
    func makeImageDirectory(in workspace: ScratchDirectory) throws -> String {
        let dir = workspace.file("images")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let facts = #"{"id":"abc123","name":"counter","pid":7,"running":true,"status":"running","driver":"vfs","graphDriverData":{},"hostnamePath":"/h","hostsPath":"/hs","resolvConfPath":"/r","rootfs":"/m","cgroupMounts":[],"aufsBranches":[],"dockerHome":"/d"}"#
        for (name, data) in [
            ("inventory.img", Data([1, 2])), ("stats-dump", Data([3])), ("pages-1.img", Data(repeating: 0x5a, count: 50_000)),
            ("crplan-facts.json", Data(facts.utf8)),
        ] {
            try data.write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        return dir
    }

    @Test("export, import, and a tampered archive refused naming the member")
    func exportImportTamper() throws {
        let workspace = try ScratchDirectory("archive")
        defer { workspace.remove() }
        let images = try makeImageDirectory(in: workspace)
        let exported = try CrplanBinary.run(["export", "--criu-version", "4.1.1", "images", "counter.tar.zst"], in: workspace)
        #expect(exported.exitCode == 0, "\(exported)")
        #expect(exported.standardOutput.contains("5 files"), "\(exported)")

        let imported = try CrplanBinary.run(["import", "counter.tar.zst", "restored"], in: workspace)
        #expect(imported.exitCode == 0, "\(imported)")
        #expect(imported.standardOutput.contains("from docker counter"), "\(imported)")
        #expect(FileManager.default.contents(atPath: workspace.file("restored/checkpoint/pages-1.img"))
            == FileManager.default.contents(atPath: images + "/pages-1.img"))

        let plain = try CrplanBinary.run(["export", "--compression", "none", "images", "plain.tar"], in: workspace)
        #expect(plain.exitCode == 0, "\(plain)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.file("plain.tar")))
        guard let index = bytes.firstRange(of: Data(repeating: 0x5a, count: 1000))?.lowerBound else {
            Issue.record("page data not found in the tar"); return
        }
        bytes[index + 10] = 0x5b
        try bytes.write(to: URL(fileURLWithPath: workspace.file("plain.tar")))
        let tampered = try CrplanBinary.run(["import", "plain.tar", "tampered"], in: workspace)
        #expect(tampered.exitCode == 1, "\(tampered)")
        #expect(tampered.standardError.contains("checkpoint/pages-1.img"), "\(tampered)")
        #expect(!FileManager.default.fileExists(atPath: workspace.file("tampered")))

        let again = try CrplanBinary.run(["import", "counter.tar.zst", "restored"], in: workspace)
        #expect(again.exitCode == 1 && again.standardError.contains("already exists"), "\(again)")
        let notImages = try CrplanBinary.run(["export", "restored", "x.tar.zst"], in: workspace)
        #expect(notImages.exitCode == 1 && notImages.standardError.contains("stats-dump"), "\(notImages)")
        let usage = try CrplanBinary.run(["export", "images"], in: workspace)
        #expect(usage.exitCode == 2, "\(usage)")
    }

    @Test("usage errors exit 2: missing arguments, an unknown option")
    func usage() throws {
        let workspace = try ScratchDirectory("archive-usage")
        defer { workspace.remove() }
        for arguments in [["export"], ["import"], ["import", "archive.tar.zst"], ["export", "images", "x.tar.zst", "--no-such-option"]] {
            let output = try CrplanBinary.run(arguments, in: workspace)
            #expect(output.exitCode == 2, "\(output)")
        }
    }
}
