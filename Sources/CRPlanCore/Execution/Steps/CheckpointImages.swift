import Foundation

/// Reading an image dir (whose file names `ImageDirLayout` defines): how to
/// tell a complete checkpoint (CRIU writes `stats-dump` only when a dump
/// succeeds), the log lines that prove success, the saved facts.
enum CheckpointImages {
    static let inventory = "inventory.img"

    /// True when a CRIU log says `line` (`StepCheck.dumpFinished`, `.restoreFinished`).
    static func says(_ log: String?, _ line: String) -> Bool {
        log?.contains(line) ?? false
    }

    /// True when `directory` holds a checkpoint CRIU finished (`stats-dump` and `inventory.img`).
    static func isComplete(_ directory: String, host: any Host) async throws -> Bool {
        guard try await host.fileType(at: directory) == .directory else { return false }
        guard try await host.fileExists(directory + "/" + ImageDirLayout.statsDump) else { return false }
        return try await host.fileExists(directory + "/" + inventory)
    }

    /// The log's text, or nil if there is no log.
    static func log(_ path: String, host: any Host) async throws -> String? {
        guard try await host.fileType(at: path) == .regular else { return nil }
        return try await host.readText(at: path)
    }

    static func encodeFacts(_ facts: ContainerFacts) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(facts)) + [UInt8(ascii: "\n")]
    }

    static func decodeFacts(_ bytes: [UInt8]) throws -> ContainerFacts {
        try JSONDecoder().decode(ContainerFacts.self, from: Data(bytes))
    }
}

/// The `Error (` lines of a CRIU log with a few lines around each, so a
/// failure message shows the cause without the operator opening the log.
enum LogExcerpt {
    /// `Error` lines every CRIU 4 run logs on these hosts without failing
    /// (measured, see docs/host-notes.md); quoting them would hide the cause.
    static let harmless = ["rlimit: Can't setup RLIMIT_NOFILE", "ipv4: Address already assigned"]

    static func errors(in text: String, context: Int = 2, limit: Int = 30) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var wanted = Set<Int>()
        for (index, line) in lines.enumerated()
        where line.contains("Error (") && !harmless.contains(where: { line.contains($0) }) {
            for near in max(0, index - context)...min(lines.count - 1, index + context) {
                wanted.insert(near)
            }
        }
        var result: [String] = []
        var previous: Int?
        for index in wanted.sorted() {
            if result.count >= limit { result.append("    …"); break }
            if let previous, index != previous + 1 { result.append("    …") }
            result.append("    \(index + 1): \(lines[index])")
            previous = index
        }
        return result.joined(separator: "\n")
    }

    /// "<what>; see <path>" with the error lines, or the log's last lines if it has none.
    static func describe(_ what: String, logPath: String, text: String?) -> String {
        guard let text else { return "\(what); there is no log at \(logPath)" }
        let errors = errors(in: text)
        if !errors.isEmpty {
            return "\(what); errors in \(logPath):\n\(errors)"
        }
        let tail = text.split(separator: "\n").suffix(5).map { "    " + $0 }.joined(separator: "\n")
        return "\(what); \(logPath) shows no `Error (` line, it ends with:\n\(tail)"
    }
}
