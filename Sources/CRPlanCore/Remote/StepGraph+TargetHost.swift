extension StepGraph {
    /// The host the target side's commands run on: `local` itself when the
    /// target engine is on this machine, else a `RemoteHost` over `local`
    /// reaching `targetSSH` (the same `SSHTarget` the dry run printed with).
    public func targetHost(over local: any Host) -> any Host {
        guard let targetSSH else { return local }
        return RemoteHost(base: local, target: targetSSH)
    }
}
