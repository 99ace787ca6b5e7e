/// What a CRIU log (`dump.log`, `restore.log`) says about the CRIU that
/// wrote it and how the run ended. CRIU 4.1 logs no command line; its first
/// lines give the run id, version and kernel:
///
///     (00.000000) CRIU run id = c6f17372-fae3-45b4-a7c8-cb4f76553c37
///     (00.000264) Version: 4.1.1 (gitid 0)
///     (00.000274) Running on vm Linux 6.18.44 #1 SMP PREEMPT_DYNAMIC @0 x86_64
///     (00.469174) Dumping processes (pid: 7964 comm: sh)
///     (02.077811) Dumping finished successfully
public struct CRIULogSummary: Sendable, Hashable, Codable {
    /// The log's file name in the image dir.
    public var file: String
    /// CRIU's id for this run, to match it with CRIU's other output.
    public var runID: String?
    /// `4.1.1` from `Version: 4.1.1 (gitid 0)`.
    public var version: String?
    /// The git id CRIU was built from, if not `0`.
    public var gitID: String?
    /// `Linux 6.18.44 … x86_64` from `Running on <host> Linux …`, without the host name.
    public var kernel: String?
    /// `pid: 7964 comm: sh` from `Dumping processes (…)`: the host pid and command dumped.
    public var dumpedProcess: String?
    /// Configuration files CRIU read (`Parsing config file …`, `Would overwrite RPC settings …`).
    public var configuration: [String]
    /// A line says the dump or restore finished successfully.
    public var finishedSuccessfully: Bool
    /// Seconds from CRIU's start to the log's last timestamp.
    public var elapsedSeconds: Double?

    /// How many lines from the start are searched for the header facts.
    public static let headerLines = 256

    public init(file: String, text: String) {
        self.file = file
        configuration = []
        finishedSuccessfully = false
        var index = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let (stamp, message) = Self.split(rawLine)
            if let stamp { elapsedSeconds = stamp }
            if message.hasPrefix("Dumping finished successfully") || message.hasPrefix("Restore finished successfully") {
                finishedSuccessfully = true
            }
            if index < Self.headerLines { readHeader(message) }
            index += 1
        }
    }

    private mutating func readHeader(_ message: Substring) {
        if runID == nil, message.hasPrefix("CRIU run id = ") {
            runID = String(message.dropFirst("CRIU run id = ".count))
        } else if version == nil, message.hasPrefix("Version: ") {
            let parts = message.dropFirst("Version: ".count).split(separator: " ", maxSplits: 1)
            version = parts.first.map(String.init)
            // `(gitid 0)`
            let tokens = parts.count > 1 ? parts[1].split(separator: " ") : []
            if tokens.count >= 2, tokens[0] == "(gitid" {
                let id = String(tokens[1].filter { $0 != ")" })
                gitID = id == "0" || id.isEmpty ? nil : id
            }
        } else if kernel == nil, message.hasPrefix("Running on ") {
            let words = message.dropFirst("Running on ".count).split(separator: " ", maxSplits: 1)
            if words.count == 2 { kernel = String(words[1]) }
        } else if dumpedProcess == nil, message.hasPrefix("Dumping processes ("), message.hasSuffix(")") {
            dumpedProcess = String(message.dropFirst("Dumping processes (".count).dropLast())
        } else if message.hasPrefix("Parsing config file") || message.hasPrefix("Would overwrite RPC settings") {
            configuration.append(String(message))
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\r" { text.removeLast() }
        return text
    }

    /// `(00.000012) Version: 4.1` → (0.000012, `Version: 4.1`).
    static func split(_ line: Substring) -> (stamp: Double?, message: Substring) {
        guard line.first == "(", let close = line.firstIndex(of: ")") else { return (nil, trimmed(line)) }
        let stamp = Double(line[line.index(after: line.startIndex)..<close])
        return (stamp, trimmed(line[line.index(after: close)...]))
    }
}
