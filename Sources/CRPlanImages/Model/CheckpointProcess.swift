/// One task of the dumped process tree: `pstree.img`'s entry for it, and
/// what its `core-<pid>.img` says (nil when that file is missing or was refused).
///
/// Pids are those inside the container's pid namespace, as CRIU saved them.
public struct CheckpointProcess: Sendable, Hashable, Codable {
    public var pid: Int
    public var parentPID: Int
    public var processGroupID: Int
    public var sessionID: Int
    /// Thread ids (the task's own pid included).
    public var threads: [Int]
    /// The command name (`/proc/<pid>/comm` at dump time), from the core image.
    public var command: String?
    /// The task's state at dump time, from the core image.
    public var state: TaskState?
    /// The exit code CRIU saved (meaningful for a zombie).
    public var exitCode: Int?
    /// Why the core image could not be read, if it could not.
    public var coreProblem: String?

    public init(
        pid: Int, parentPID: Int, processGroupID: Int, sessionID: Int, threads: [Int],
        command: String? = nil, state: TaskState? = nil, exitCode: Int? = nil, coreProblem: String? = nil
    ) {
        self.pid = pid
        self.parentPID = parentPID
        self.processGroupID = processGroupID
        self.sessionID = sessionID
        self.threads = threads
        self.command = command
        self.state = state
        self.exitCode = exitCode
        self.coreProblem = coreProblem
    }

    /// CRIU's task states (compel's `__compel_task_state` and CRIU's own).
    public enum TaskState: Sendable, Hashable, Codable, CustomStringConvertible {
        case alive
        case dead
        case stopped
        case zombie
        case helper
        case thread
        case unknown(UInt32)

        public init(rawValue: UInt32) {
            switch rawValue {
            case 0x01: self = .alive
            case 0x02: self = .dead
            case 0x03: self = .stopped
            case 0x06: self = .zombie
            case 0x80: self = .helper
            case 0x81: self = .thread
            default: self = .unknown(rawValue)
            }
        }

        public var description: String {
            switch self {
            case .alive: "alive"
            case .dead: "dead"
            case .stopped: "stopped"
            case .zombie: "zombie"
            case .helper: "helper"
            case .thread: "thread"
            case .unknown(let value): "state \(value)"
            }
        }

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            switch text {
            case "alive": self = .alive
            case "dead": self = .dead
            case "stopped": self = .stopped
            case "zombie": self = .zombie
            case "helper": self = .helper
            case "thread": self = .thread
            default:
                guard text.hasPrefix("state "), let value = UInt32(text.dropFirst("state ".count)) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown task state \(text)"))
                }
                self = .unknown(value)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }
}

/// What `inventory.img` says about the dump as a whole.
public struct CheckpointInventory: Sendable, Hashable, Codable {
    /// CRIU's image format version (2 = images with the common magic).
    public var imageVersion: Int
    /// The Linux security module at dump time (`none`, `selinux`, `apparmor`), if recorded.
    public var securityModule: String?
    /// The host's uptime at dump time, in microseconds, if recorded.
    public var dumpUptimeMicroseconds: Int?

    public init(imageVersion: Int, securityModule: String? = nil, dumpUptimeMicroseconds: Int? = nil) {
        self.imageVersion = imageVersion
        self.securityModule = securityModule
        self.dumpUptimeMicroseconds = dumpUptimeMicroseconds
    }
}
