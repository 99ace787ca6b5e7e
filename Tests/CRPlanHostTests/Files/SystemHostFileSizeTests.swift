import CRPlanCore
import CRPlanHost
import CRPlanImages
import Foundation
import Testing

@Suite("SystemHost.fileSize (FileSizeReading)")
struct SystemHostFileSizeTests {
    @Test("a regular file's length; nil when nothing is there; links and directories refused")
    func fileSize() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let host = SystemHost()
        let file = temp.appending("pages-1.img")
        try Data(repeating: 0, count: 8192).write(to: URL(fileURLWithPath: file))
        #expect(try await host.fileSize(at: file) == 8192)
        #expect(try await host.fileSize(at: temp.appending("missing")) == nil)
        let link = temp.appending("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        await #expect(throws: HostError.symbolicLink(path: link)) { try await host.fileSize(at: link) }
        await #expect(throws: HostError.self) { try await host.fileSize(at: temp.path) }
    }

    @Test("a whole image dir is sized and read through SystemHost")
    func imageDir() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try Data(repeating: 0, count: 4096).write(to: URL(fileURLWithPath: temp.appending("pages-1.img")))
        try Data("(00.000001) Version: 4.1.1 (gitid 0)\n".utf8).write(to: URL(fileURLWithPath: temp.appending("dump.log")))
        let size = try await CheckpointImageDir.size(of: temp.path, host: SystemHost())
        #expect(size.pagesBytes == 4096 && size.logFiles == 1 && size.otherFiles == 0)
        let report = try await CheckpointImageInspector.report(imageDir: temp.path, host: SystemHost())
        #expect(report.criu?.version == "4.1.1")
        #expect(report.processes == nil && report.statistics == nil && report.problems.isEmpty)
    }
}
