import ArgumentParser
import CRPlanCore
import CRPlanHost
import Foundation

extension CRPlan {
    /// `crplan import ARCHIVE DIR`: verifies every member of a portable
    /// archive against its manifest and only then creates DIR with them.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a portable checkpoint archive and unpack it into a new folder.",
            discussion: """
                Every member is checked (regular files and folders only, names inside the archive layout, \
                size and SHA-256 as the manifest lists them, nothing unlisted) in a private staging folder \
                beside DIR, which becomes DIR only when all of it is verified. DIR must not exist. \
                DIR/checkpoint is then an image dir a restore-only plan can use.

                Exit status: 0 unpacked; 1 the archive is corrupt, truncated or tampered with (the message names \
                the member) or DIR cannot be made; 2 usage error.
                """
        )

        @ArgumentParser.Argument(help: "The archive (from crplan export).", completion: .file())
        var archive: String

        @ArgumentParser.Argument(help: "The folder to create.", completion: .directory)
        var directory: String

        func run() async throws {
            let archive = absolute(self.archive)
            let directory = absolute(self.directory)
            let manifest: ArchiveManifest
            do {
                manifest = try await ArchiveReader().unpack(archive, into: directory)
            } catch {
                Console.writeError("crplan: error: \(archive): \(error.description)\n")
                throw ExitCode(CLIExitCode.failure)
            }
            let source = manifest.source.containerName ?? manifest.source.containerID ?? "container"
            Console.write("verified \(manifest.files.count) files (sha256) from \(manifest.source.engine) \(source); unpacked into \(directory)\n")
        }
    }
}
