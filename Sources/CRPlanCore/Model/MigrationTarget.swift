/// Where `operation: migrate` moves (or copies) the container: a second
/// Docker engine, the name the container gets there, and what happens to
/// the image and the source container.
public struct MigrationTarget: Sendable, Hashable, Codable {
    /// The target engine (its client binary, `-H` address and data root).
    public var docker: DockerSettings
    /// The container's name on the target; nil keeps the source's name.
    public var name: String?
    /// How the source's image reaches the target engine.
    public var image: ImagePolicy
    /// What happens to the source container once the target runs.
    public var source: SourcePolicy
    /// How each volume or bind mount of the source is provided on the target.
    public var mounts: [TargetMount]
    /// Set when the target engine is on another machine reached over ssh
    /// (`target.ssh`); nil: the target engine is on this machine.
    public var ssh: SSHSettings?

    public init(
        docker: DockerSettings, name: String? = nil, image: ImagePolicy = .transfer, source: SourcePolicy = .keep,
        mounts: [TargetMount] = [], ssh: SSHSettings? = nil
    ) {
        self.docker = docker
        self.name = name
        self.image = image
        self.source = source
        self.mounts = mounts
        self.ssh = ssh
    }

    /// `target.image`.
    public enum ImagePolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// The target engine must already hold the image, by id.
        case require
        /// `docker save <id> | docker load` when the target lacks it (by id, so no tag moves).
        case transfer
    }

    /// `target.source`.
    public enum SourcePolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// The stopped source container stays (a move) or keeps running (a copy).
        case keep
        /// A moved source container is removed once the target runs.
        case remove
    }
}

/// One volume or bind mount of the source container and the host path that
/// backs it on the target (`target.mounts[]`).
public struct TargetMount: Sendable, Hashable, Codable {
    /// The mount point inside the container.
    public var destination: String
    /// The host path bound there on the target.
    public var source: String

    public init(destination: String, source: String) {
        self.destination = destination
        self.source = source
    }
}
