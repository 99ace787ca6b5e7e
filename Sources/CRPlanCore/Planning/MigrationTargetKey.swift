/// A migration's target, as the lock on it names it: the target engine (the
/// docker command line that reaches it, `-H` included) and the container
/// name there. Two runs that would create the same name on the same engine
/// share the key, so the second fails at once naming the first.
public struct MigrationTargetKey: Sendable, Hashable, CustomStringConvertible {
    /// The docker argv before `inspect`: binary, `-H host`.
    public var engine: [String]
    public var name: String

    /// 32 hex digits of SHA-256 over engine and name: a safe file name.
    public var lockKey: String {
        String(SHA256Hex.of(Array((engine + [name]).joined(separator: "\u{0}").utf8)).prefix(32))
    }

    public var description: String {
        "container name \(name) on engine `\(ShellQuoting.line(engine))`"
    }
}

extension StepGraph {
    /// Migrate and restore from an archive: the target name and engine, from the command that reads the
    /// target container by name (`docker [-H host] inspect --type container -- NAME`); nil for other plans.
    public var migrationTarget: MigrationTargetKey? {
        guard operation == .migrate || step(.openArchive) != nil else { return nil }
        for step in steps {
            for command in step.commands where command.side == .target && command.output == .containerInspect {
                guard let argv = command.literalArgv, let inspect = argv.firstIndex(of: "inspect"), let name = argv.last else { continue }
                return MigrationTargetKey(engine: Array(argv[..<inspect]), name: name)
            }
        }
        return nil
    }
}
