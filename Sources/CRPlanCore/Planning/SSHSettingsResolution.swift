extension SSHSettings {
    /// The settings with `${env.*}` substituted, validated as an
    /// `SSHTarget` (multiplexed through `controlDirectory`). Lint calls it
    /// too, with its environment, so both refuse the same values.
    func resolvedTarget(_ values: CompileTimeSubstitution) throws(PlanningError) -> SSHTarget {
        func text(_ template: Template, _ field: String) throws(PlanningError) -> String {
            let resolved = try values.resolve(template, field: "target.ssh." + field, runtimeAllowed: false)
            guard let literal = resolved.literalValue, !literal.isEmpty else { throw .emptyValue(field: "target.ssh." + field) }
            return literal
        }
        let destination = try text(self.destination, "destination")
        var portNumber: Int?
        if let port {
            let written = try text(port, "port")
            guard written.utf8.count <= 5, let number = Int(written), written.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .invalidSSH(.invalidPortText(RemoteShellQuoting.display(written)))
            }
            portNumber = number
        }
        let identity = try identityFile.map { template throws(PlanningError) in try text(template, "identityFile") }
        let knownHosts = try knownHostsFile.map { template throws(PlanningError) in try text(template, "knownHostsFile") }
        let control = try controlDirectory.map { template throws(PlanningError) in try text(template, "controlDirectory") }
            ?? Self.defaultControlDirectory
        do {
            return try SSHTarget(
                destination: destination, port: portNumber, identityFile: identity, knownHostsFile: knownHosts, options: options,
                multiplexing: SSHMultiplexing(controlDirectory: control, persistSeconds: Self.controlPersistSeconds)
            )
        } catch {
            throw .invalidSSH(error)
        }
    }
}
