/// The two machines a migration talks to: the source engine's host and
/// the target engine's host (the same local host for two engines on one
/// machine, or one reached over ssh). Each command runs on the host of its
/// `CommandTemplate.side`; the journal, locks, state files and pipelines
/// stay on the local machine, which is the source's.
public struct EngineHosts: Sendable {
    public var source: any Host
    public var target: any Host

    /// Both sides on `source`, unless `target` is given.
    public init(source: any Host, target: (any Host)? = nil) {
        self.source = source
        self.target = target ?? source
    }

    /// The machine crplan runs on: journal, locks, state files, pipelines.
    public var local: any Host { source }

    /// The host a command of `side` runs on.
    public func host(for side: EngineSide) -> any Host {
        side == .target ? target : source
    }
}
