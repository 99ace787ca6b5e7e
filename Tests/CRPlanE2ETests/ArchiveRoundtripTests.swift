import CRPlanCore
import Foundation
import Testing

extension EndToEnd {
    /// A real checkpoint carried as a portable archive: `crplan export`, the
    /// image dir removed, a tampered archive refused by `crplan import`, the
    /// intact one imported and restored from.
    @Suite("Portable archive of a real checkpoint")
    struct ArchiveRoundtrip {
        /// The offset in `haystack` of a 64-byte window of `file` that is not all one byte value.
        static func offset(of file: [UInt8], in haystack: [UInt8]) -> Int? {
            guard file.count >= 64 else { return nil }
            guard let start = stride(from: file.count / 2, to: file.count - 64, by: 64).first(where: { Set(file[$0..<($0 + 64)]).count > 8 })
            else { return nil }
            let window = Array(file[start..<(start + 64)])
            return (0..<(haystack.count - 64)).first { haystack[$0] == window[0] && Array(haystack[$0..<($0 + 64)]) == window }
        }

        @Test("export a checkpoint, remove the image dir, refuse tampered archives, import and restore: /foo continues")
        func exportTamperImportRestore() async throws {
            try await withCounter("arc") { scenario in
                let checkpoint = scenario.plan("checkpoint", operation: "checkpoint")
                let imageDir = try #require(checkpoint.imageDir)
                let dumped = try await scenario.crplan.apply(checkpoint)
                _ = try Expect.succeeded(dumped, steps: [.inspect, .dump, .verifyDumpLog], journal: scenario.crplan.journal(checkpoint))
                let last = try await Expect.dumpedAndStill(scenario)

                let archive = scenario.workspace.file("counter.crplan.tar.zst")
                let plain = scenario.workspace.file("counter.crplan.tar")
                let exported = try await scenario.crplan.run(["export", imageDir, archive])
                #expect(exported.succeeded, "\(exported)")
                let exportedPlain = try await scenario.crplan.run(["export", "--compression", "none", imageDir, plain])
                #expect(exportedPlain.succeeded, "\(exportedPlain)")

                // a byte of the largest page image flipped inside the plain tar: refused naming it
                let pages = try FileManager.default.contentsOfDirectory(atPath: imageDir).filter { $0.hasPrefix("pages-") }
                let largest = try #require(pages.max {
                    (FileManager.default.contents(atPath: imageDir + "/" + $0)?.count ?? 0) < (FileManager.default.contents(atPath: imageDir + "/" + $1)?.count ?? 0)
                })
                let pageBytes = try #require(FileManager.default.contents(atPath: imageDir + "/" + largest).map(Array.init))
                var tarBytes = try #require(FileManager.default.contents(atPath: plain).map(Array.init))
                let at = try #require(Self.offset(of: pageBytes, in: tarBytes), "\(largest) not found in the tar")
                tarBytes[at + 7] ^= 0x40
                try Data(tarBytes).write(to: URL(fileURLWithPath: plain))
                let tampered = try await scenario.crplan.run(["import", plain, scenario.workspace.file("tampered")])
                #expect(tampered.exitCode == 1 && tampered.standardError.contains("checkpoint/" + largest), "\(tampered)")
                #expect(!FileManager.default.fileExists(atPath: scenario.workspace.file("tampered")))

                // a flipped byte in the compressed stream, and a truncated one
                var zstdBytes = try #require(FileManager.default.contents(atPath: archive).map(Array.init))
                let corrupt = scenario.workspace.file("corrupt.tar.zst"), truncated = scenario.workspace.file("truncated.tar.zst")
                try Data(zstdBytes.prefix(zstdBytes.count / 2)).write(to: URL(fileURLWithPath: truncated))
                zstdBytes[zstdBytes.count / 2] ^= 0xff
                try Data(zstdBytes).write(to: URL(fileURLWithPath: corrupt))
                for bad in [corrupt, truncated] {
                    let refused = try await scenario.crplan.run(["import", bad, scenario.workspace.file("bad")])
                    #expect(refused.exitCode == 1, "\(refused)")
                    #expect(!FileManager.default.fileExists(atPath: scenario.workspace.file("bad")))
                }

                // the original images are gone: only the archive carries the checkpoint
                let originalNames = try FileManager.default.contentsOfDirectory(atPath: imageDir).sorted()
                try FileManager.default.removeItem(atPath: imageDir)
                let unpacked = scenario.workspace.file("unpacked")
                let imported = try await scenario.crplan.run(["import", archive, unpacked])
                #expect(imported.succeeded, "\(imported)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: unpacked + "/checkpoint").sorted() == originalNames)

                var restore = scenario.plan("restore", operation: "restore")
                restore.imageDir = unpacked + "/checkpoint"
                restore.driver = "auto"
                scenario.track(restore)
                let census = WorkloadCensus(scenario.counter)
                let restored = try await scenario.crplan.apply(restore)
                let copies = await census.stop()
                _ = try Expect.succeeded(
                    restored, steps: [.inspect, .loadCheckpoint, .rebuildRootfs, .restore, .writePidfile],
                    journal: scenario.crplan.journal(restore))
                try await Expect.restoredExternally(scenario, pidfile: try #require(restore.pidfile), lastBeforeDump: last)
                #expect(copies.maximum == 1, "\(copies.maximum) copies ran at once: \(copies.pids)")
            }
        }
    }
}
