import Foundation

/// `write-archive` (migrate with `archive`): lays the archive's members out
/// (printed `rm`, `mkdir`, `cp --link`), writes `container/config.json`,
/// `container/facts.json` and `rootfs/deleted.json` from the journaled
/// facts, reads the engine, kernel and CRIU versions and every member's
/// sha256 from printed commands (sizes by lstat), writes `manifest.json`,
/// runs the printed `tar | zstd` into `<archive>.partial` and renames that
/// to the archive, which must not exist (never replaced). Reruns safely:
/// `renaming` is journaled before the rename, so a rerun that finds the
/// archive and no partial file knows it made it.
struct WriteArchiveStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let facts = try context.requireFacts()
        let archive = try context.path(\.archive, "the archive path")
        let tree = try context.path(\.archiveTree, "the archive layout folder")
        let partial = archive + ".partial"
        if try await context.host.fileType(at: archive) != nil {
            // a rerun after the rename whose end was not journaled: the archive is this run's
            if context.record?.outputs["renaming"] == archive, try await context.host.fileType(at: partial) == nil {
                return ["archive": archive, "archiveBytes": String(try await context.host.fileSize(at: archive) ?? 0)]
            }
            throw StepFailure("\(archive) already exists; crplan never replaces a file: move it away or set `archive` to a new path")
        }
        let commands = try context.bound().commands
        guard commands.count == 10, commands[7].output == .fileDigests, commands[8].output == .pipedToNext else {
            throw StepFailure("step write-archive does not have its ten commands (a crplan bug: please report it)")
        }
        for index in 0...3 { try await context.runChecked(at: index) }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        func write(_ value: some Encodable, _ name: String) async throws {
            let bytes: Data
            do { bytes = try encoder.encode(value) } catch { throw StepFailure("cannot encode \(name): \(error)") }
            try await context.host.writeFileAtomically(at: tree + "/" + name, contents: Array(bytes) + [0x0a], mode: 0o600)
        }
        if let configuration = facts.configuration { try await write(configuration, ArchiveLayout.containerConfig) }
        try await write(facts, ArchiveLayout.containerFacts)
        try await write(facts.deletedPaths ?? [], ArchiveLayout.rootfsDeleted)

        func firstLine(_ index: Int) async -> String? {
            guard let completed = try? await context.runCommand(at: index), completed.result.status.isSuccess else { return nil }
            let line = completed.result.standardOutput.split(separator: "\n").first.map { String($0) }?.trimmingWhitespace ?? ""
            let printable = line.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7f }
            return line.isEmpty || line.utf8.count > 200 || !printable ? nil : line
        }
        let engineVersion = await firstLine(4)
        let kernel = await firstLine(5)
        let criu = await criuVersionLine(context)

        let digests = try await context.runChecked(at: 7)
        guard !digests.result.standardOutputTruncated else {
            throw StepFailure("sha256sum printed more than crplan reads: too many files in the checkpoint to archive")
        }
        var records: [ArchiveFileRecord] = []
        for line in digests.result.standardOutput.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, ArchiveDigest.isHex(String(parts[0])), parts[1].hasPrefix(" " + tree + "/") else {
                throw StepFailure("sha256sum printed a line crplan does not understand: `\(line.prefix(120))`")
            }
            let path = String(parts[1].dropFirst(1))
            let name = String(path.dropFirst(tree.count + 1))
            guard let size = try await context.host.fileSize(at: path) else {
                throw StepFailure("\(path) vanished while it was archived")
            }
            records.append(ArchiveFileRecord(path: name, size: Int64(size), sha256: String(parts[0])))
        }
        let manifest = ArchiveManifest(
            crplanVersion: context.options.crplanVersion, createdAt: Self.iso8601(await context.host.now()),
            source: ArchiveSource(
                engine: "docker", engineVersion: engineVersion, storageDriver: facts.driver.isEmpty ? nil : facts.driver, kernel: kernel,
                criuVersion: criu, containerID: facts.id, containerName: facts.name.isEmpty ? nil : facts.name, checkpointMode: "native"),
            files: records)
        do {
            try manifest.validate()
            try await context.host.writeFileAtomically(at: tree + "/" + ArchiveLayout.manifest, contents: try manifest.encoded(), mode: 0o600)
        } catch let error as ArchiveError {
            throw StepFailure("the archive's manifest: \(error.description)")
        }

        try await context.checkArchiveFolder(partial: partial)
        let packed = try await context.runPipeline(Array(commands[8...9]), index: 8)
        guard packed.result.status.isSuccess else { throw StepFailure(packed.failureDescription) }
        try await context.progress(["renaming": archive])
        try await context.host.move(from: partial, to: archive)
        let bytes = try await context.host.fileSize(at: archive) ?? 0
        return ["archive": archive, "files": String(records.count), "archiveBytes": String(bytes)]
    }

    /// An attempt killed after the rename and before its end was journaled
    /// made the archive: `renaming` journaled, the archive there, no partial
    /// file → done (judged here, before a new attempt's start clears the
    /// attempt's outputs); else it runs again (an existing archive it did not
    /// make is refused by the run).
    func probe(_ context: StepContext) async throws -> ProbeDecision {
        let archive = try context.path(\.archive, "the archive path")
        guard context.record?.outputs["renaming"] == archive, try await context.host.fileType(at: archive) == .regular,
              try await context.host.fileType(at: archive + ".partial") == nil else {
            return .rerun("the archive was not published yet")
        }
        let bytes = try await context.host.fileSize(at: archive) ?? 0
        return .done(["archive": archive, "archiveBytes": String(bytes)], reason: "the interrupted attempt renamed its archive into place at \(archive)")
    }

    /// "4.1.1" from `criu --version` ("Version: 4.1.1").
    private func criuVersionLine(_ context: StepContext) async -> String? {
        guard let completed = try? await context.runCommand(at: 6), completed.result.status.isSuccess else { return nil }
        let line = completed.result.standardOutput.split(separator: "\n").first { $0.hasPrefix("Version:") }
        let version = line.map { String($0.dropFirst("Version:".count)).trimmingWhitespace } ?? ""
        return version.isEmpty || version.utf8.count > 64 ? nil : version
    }

    static func iso8601(_ time: Timestamp) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(time.millisecondsSinceEpoch) / 1000))
    }
}
