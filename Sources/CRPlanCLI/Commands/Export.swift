import ArgumentParser
import CRPlanCore
import CRPlanHost
import Foundation

extension CRPlan {
    /// `crplan export IMAGE_DIR ARCHIVE`: packs a crplan image dir into a
    /// portable archive (tar + zstd) with a manifest of every file's size
    /// and SHA-256.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pack a checkpoint image dir into a portable, checksummed archive.",
            discussion: """
                IMAGE_DIR must hold a complete checkpoint made by crplan (stats-dump, inventory.img, \
                crplan-facts.json). The archive holds manifest.json, checkpoint/ (every file of IMAGE_DIR) and \
                container/facts.json; ARCHIVE must not exist. `crplan import` verifies and unpacks it.

                Exit status: 0 written; 1 the image dir or the archive could not be used; 2 usage error.
                """
        )

        @ArgumentParser.Argument(help: "The image dir of a checkpoint.", completion: .directory)
        var imageDirectory: String

        @ArgumentParser.Argument(help: "The archive to write (e.g. counter.crplan.tar.zst).", completion: .file())
        var archive: String

        @Option(help: "zstd (default) or none (a plain tar).")
        var compression: CompressionChoice = .zstd

        @Option(help: "The source engine's version, recorded in the manifest (e.g. 20.10.24).")
        var engineVersion: String?

        @Option(help: "The CRIU version, recorded in the manifest (default: asked from $CRIU_BINARY or criu).")
        var criuVersion: String?

        enum CompressionChoice: String, CaseIterable, ExpressibleByArgument {
            case zstd
            case none
        }

        func run() async throws {
            let archive = absolute(self.archive)
            let manifest: ArchiveManifest
            do {
                manifest = try await export(to: archive)
            } catch {
                Console.writeError("crplan: error: \(error.description)\n")
                throw ExitCode(CLIExitCode.failure)
            }
            let bytes = manifest.files.reduce(Int64(0)) { $0 + $1.size }
            Console.write("wrote \(archive): \(manifest.files.count) files, \(bytes) bytes before compression\n")
        }

        func export(to archive: String) async throws(ArchiveError) -> ArchiveManifest {
            let imageDirectory = absolute(self.imageDirectory)
            let files = try ImageDirectoryArchive.inputFiles(imageDirectory: imageDirectory)
            var criu = criuVersion
            if criu == nil { criu = await Self.askCRIUVersion() }
            let source = ImageDirectoryArchive.source(imageDirectory: imageDirectory, engineVersion: engineVersion, criuVersion: criu)
            return try await ArchiveWriter().write(
                files: files, crplanVersion: CRPlan.configuration.version, createdAt: ImageDirectoryArchive.timestamp(),
                source: source, to: archive, compression: compression == .zstd ? .zstd : .none)
        }

        /// "4.1.1" from `criu --version` ("Version: 4.1.1"), or nil.
        static func askCRIUVersion() async -> String? {
            let binary = ProcessInfo.processInfo.environment["CRIU_BINARY"].flatMap { $0.isEmpty ? nil : $0 } ?? "criu"
            guard let result = try? await CommandRunner().run(HostCommand(argv: [binary, "--version"], timeout: .seconds(10))),
                result.succeeded
            else { return nil }
            let line = result.standardOutput.text.split(separator: "\n").first { $0.hasPrefix("Version:") }
            return line.map { $0.dropFirst("Version:".count).trimmingCharacters(in: .whitespaces) }
        }
    }
}
