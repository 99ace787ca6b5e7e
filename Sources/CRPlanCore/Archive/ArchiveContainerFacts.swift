import Foundation

/// The source's facts as a verified archive carries them
/// (`container/facts.json`, `container/config.json`, `rootfs/deleted.json`),
/// turned into the facts a restore binds. The archive's checksums only say
/// that the files are those its writer listed, not that the writer was
/// crplan: every value is bounded and validated as if Docker had printed
/// it, and the three files must agree.
public enum ArchiveContainerFacts {
    /// The most bytes each of the three files may have.
    public static let maximumFileSize = SourceConfiguration.maximumInspectBytes

    /// The facts from the three files' bytes, with the source's target (a
    /// migration's) dropped and `runID` set to this run's.
    public static func decode(facts factsBytes: [UInt8], config configBytes: [UInt8], deleted deletedBytes: [UInt8], runID: String)
        throws(ArchiveFactsError) -> ContainerFacts
    {
        for (name, bytes) in [
            (ArchiveLayout.containerFacts, factsBytes), (ArchiveLayout.containerConfig, configBytes), (ArchiveLayout.rootfsDeleted, deletedBytes),
        ] where bytes.count > maximumFileSize {
            throw .invalid(name, "it is \(bytes.count) bytes, more than the \(maximumFileSize) crplan reads")
        }
        var facts: ContainerFacts
        let configuration: SourceConfiguration
        let deleted: [String]
        do {
            facts = try JSONDecoder().decode(ContainerFacts.self, from: Data(factsBytes))
        } catch {
            throw .invalid(ArchiveLayout.containerFacts, "it is not the JSON of crplan's container facts (\(error))")
        }
        do {
            configuration = try JSONDecoder().decode(SourceConfiguration.self, from: Data(configBytes))
        } catch {
            throw .invalid(ArchiveLayout.containerConfig, "it is not the JSON of crplan's source configuration (\(error))")
        }
        do {
            deleted = try JSONDecoder().decode([String].self, from: Data(deletedBytes))
        } catch {
            throw .invalid(ArchiveLayout.rootfsDeleted, "it is not a JSON list of paths (\(error))")
        }
        do {
            try configuration.checkBounds()
            try configuration.checkArchiveGrants()
        } catch {
            throw .invalid(ArchiveLayout.containerConfig, error.description)
        }
        if let recorded = facts.configuration, recorded != configuration {
            throw .invalid(ArchiveLayout.containerFacts, "its configuration differs from \(ArchiveLayout.containerConfig)")
        }
        do {
            try facts.validate(dockerHome: facts.dockerHome)
        } catch {
            throw .invalid(ArchiveLayout.containerFacts, error.description)
        }
        guard deleted == (facts.deletedPaths ?? []) else {
            throw .invalid(ArchiveLayout.rootfsDeleted, "it differs from the deleted paths in \(ArchiveLayout.containerFacts)")
        }
        let recreated = facts.recreatedPaths ?? []
        guard deleted.count <= DeletedPaths.maximumCount, recreated.count <= deleted.count else {
            throw .invalid(ArchiveLayout.rootfsDeleted, "it lists \(deleted.count) paths, more than the \(DeletedPaths.maximumCount) crplan carries")
        }
        let deletedSet = Set(deleted)
        for path in deleted + recreated {
            do {
                try DeletedPaths.validate(path)
            } catch {
                throw .invalid(ArchiveLayout.containerFacts, error.description)
            }
        }
        guard recreated.allSatisfy(deletedSet.contains) else {
            throw .invalid(ArchiveLayout.containerFacts, "a folder made again is not among the deleted paths")
        }
        // A plain permission mode: apply-changes gives it to the container's root on this host, so no set-id or sticky bit.
        guard let mode = facts.rootMode, (3...4).contains(mode.count), mode.allSatisfy({ ("0"..."7").contains($0) }),
              let value = Int(mode, radix: 8), value <= 0o777 else {
            throw .invalid(ArchiveLayout.containerFacts, "the source root's mode `\(facts.rootMode?.prefix(20) ?? "(none)")` is not an octal permission mode (at most 777)")
        }
        facts.configuration = configuration
        facts.deletedPaths = deleted
        facts.recreatedPaths = recreated
        facts.target = nil
        facts.runID = runID
        return facts
    }
}

/// Why an archive's facts are refused.
public enum ArchiveFactsError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let member, let reason): "the archive's \(member) is refused: \(reason)"
        }
    }
}
