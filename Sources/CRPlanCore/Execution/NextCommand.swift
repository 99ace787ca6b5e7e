/// A crplan command the operator may run next, as data: the core knows the
/// plan's name, the CLI knows the file the operator typed, so the core says
/// which command and why, and the CLI spells it (`crplan resume plans/x.yaml`).
public struct NextCommand: Sendable, Hashable, Codable {
    public enum Verb: String, Sendable, Hashable, Codable {
        case apply, resume, rollback, status
    }

    public var verb: Verb
    /// What running it does, e.g. "to restore the checkpoint".
    public var purpose: String

    public init(_ verb: Verb, _ purpose: String) {
        self.verb = verb
        self.purpose = purpose
    }
}
