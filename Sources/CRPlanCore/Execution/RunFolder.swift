/// Where a plan's runs live on disk:
///
///     <state-dir>/runs/<plan>/            0700, one folder per plan
///         lock                            flock'd by apply/resume/rollback (holds the pid)
///         journal.jsonl                   the latest run
///         history/<run-id>.jsonl          earlier finished runs
///         logs/<run-id>/<step>-<attempt>-<n>.stdout|.stderr
///     <state-dir>/runs/.locks/container-<id or reference>.lock
///
/// `<state-dir>` is `--state-dir`, else `CRPLAN_STATE_DIR`, else `/var/lib/crplan`.
public struct RunFolder: Sendable, Hashable {
    public static let defaultStateDirectory = "/var/lib/crplan"
    public static let environmentVariable = "CRPLAN_STATE_DIR"

    /// The state directory from the `--state-dir` flag, the environment, or the default.
    public static func stateDirectory(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return defaultStateDirectory
    }

    public let stateDirectory: String
    public let planName: String

    public init(stateDirectory: String, planName: String) {
        self.stateDirectory = stateDirectory.count > 1 && stateDirectory.hasSuffix("/") ? String(stateDirectory.dropLast()) : stateDirectory
        self.planName = planName
    }

    /// Plan names become folder names: refuse anything that could escape or hide.
    public static func isValidPlanName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-"), name.utf8.count <= 200 else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }

    public var runsDirectory: String { stateDirectory + "/runs" }
    public var path: String { runsDirectory + "/" + planName }
    public var journal: String { path + "/journal.jsonl" }
    public var lockFile: String { path + "/lock" }
    public var historyDirectory: String { path + "/history" }
    public var containerLocksDirectory: String { runsDirectory + "/.locks" }

    public func logDirectory(runID: String) -> String { path + "/logs/" + runID }

    /// The lock file for a migration's target name on its engine (`key`: hex digits).
    public func targetLock(_ key: String) -> String {
        containerLocksDirectory + "/target-" + key + ".lock"
    }

    /// The lock file for a container id or reference (both are `[A-Za-z0-9_.-]`).
    public func containerLock(_ key: String) -> String {
        containerLocksDirectory + "/container-" + key + ".lock"
    }
}
