/// What `crplan init` read from Docker, as Docker reported it: nothing
/// here is trusted until `PlanScaffold` has checked it.
public struct ScaffoldContainer: Sendable, Hashable {
    /// One entry of `docker inspect`'s `Mounts`.
    public struct Mount: Sendable, Hashable {
        /// `bind`, `volume`, `tmpfs`, ...
        public var type: String
        /// The host path (Docker's `Source`).
        public var source: String
        /// The path inside the container (Docker's `Destination`).
        public var destination: String

        public init(type: String, source: String, destination: String) {
            self.type = type
            self.source = source
            self.destination = destination
        }
    }

    /// The full id, `Id`.
    public var id: String
    /// The name without Docker's leading `/`.
    public var name: String
    /// `State.Running`.
    public var running: Bool
    /// `GraphDriver.Name`.
    public var driver: String
    public var mounts: [Mount]
    /// `docker info --format '{{.DockerRootDir}}'`, trimmed.
    public var dockerRootDir: String

    public init(id: String, name: String, running: Bool, driver: String, mounts: [Mount], dockerRootDir: String) {
        self.id = id
        self.name = name
        self.running = running
        self.driver = driver
        self.mounts = mounts
        self.dockerRootDir = dockerRootDir
    }
}
