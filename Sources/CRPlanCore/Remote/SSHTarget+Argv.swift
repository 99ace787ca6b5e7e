extension SSHTarget {
    /// The ssh argv that runs `argv` on the target, exactly as given: every
    /// element is single-quoted for the remote POSIX shell (see
    /// `RemoteShellQuoting`) and the whole line is one argument after `--` and the
    /// destination, so the remote side receives `argv` byte for byte.
    ///
    /// `ssh -F none -T -o BatchMode=yes -o StrictHostKeyChecking=yes
    ///  [-o UserKnownHostsFile=F] [-o IdentitiesOnly=yes -i KEY] [-p PORT]
    ///  [-o Key=Value…] [-o ControlMaster=auto -o ControlPath=DIR/%C
    ///  -o ControlPersist=Ns] -- DESTINATION 'arg0' 'arg1' …`
    public func argv(running argv: [String], ssh: String = "ssh") throws(SSHTargetError) -> [String] {
        let line: String
        do {
            line = try RemoteShellQuoting.commandLine(argv)
        } catch {
            throw .command(error)
        }
        return connectionArgv(ssh: ssh) + ["--", destination, line]
    }

    /// ssh and its options, up to (not including) `--` and the destination;
    /// shared by `argv(running:)` and the multiplexing control commands.
    /// `-F none` first: neither /etc/ssh/ssh_config nor ~/.ssh/config
    /// applies, so no `Match`/`Host` block, `ProxyCommand` or `Include`
    /// there can change what the printed line does.
    public func connectionArgv(ssh: String = "ssh") -> [String] {
        var result = [ssh, "-F", "none", "-T", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]
        if let knownHostsFile { result += ["-o", "UserKnownHostsFile=" + knownHostsFile] }
        if let identityFile { result += ["-o", "IdentitiesOnly=yes", "-i", identityFile] }
        if let port { result += ["-p", String(port)] }
        for option in options { result += ["-o", option.argument] }
        if let multiplexing {
            let directory = multiplexing.trimmedDirectory
            result += [
                "-o", "ControlMaster=auto", "-o", "ControlPath=" + directory + "/%C",
                "-o", "ControlPersist=\(multiplexing.persistSeconds)s",
            ]
        }
        return result
    }

    /// `ssh … -O exit -- DESTINATION`: closes the multiplexed master
    /// connection (nil without multiplexing).
    public func closeMasterArgv(ssh: String = "ssh") -> [String]? {
        guard multiplexing != nil else { return nil }
        return connectionArgv(ssh: ssh) + ["-O", "exit", "--", destination]
    }
}
