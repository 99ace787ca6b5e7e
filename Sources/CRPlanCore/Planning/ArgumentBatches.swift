/// Splits arguments that grow with a list (one `find` clause per deleted
/// file) into batches, so that no command crplan runs is longer than the
/// kernel or a remote shell accepts: each batch costs at most
/// `maximumBytes`, counted as the bytes its arguments take once quoted for
/// a remote POSIX shell (`RemoteShellQuoting`), a separating space each.
/// That keeps a command with its fixed arguments below the 100,000 bytes
/// of `RemoteShellQuoting.maximumLineLength` (Linux takes at most 128 KiB
/// for the one `-c` line ssh sends) and far below `ARG_MAX` (2 MiB here)
/// when it runs locally. Pure and deterministic: the dry run (`crplan plan
/// --inspect`) and the run bind the same facts to the same batches.
public enum ArgumentBatches {
    /// The most bytes the clauses of one batch take (see the type's comment).
    public static let maximumBytes = 65_536

    /// What `argument` adds to a remote command line: its bytes, two quotes,
    /// three more for each `'` (written `'\''`), and a separating space.
    public static func cost(_ argument: String) -> Int {
        var bytes = 3
        for byte in argument.utf8 {
            bytes += byte == UInt8(ascii: "'") ? 4 : 1
        }
        return bytes
    }

    /// `clauses` in order, grouped so that each group's clauses, with
    /// `joiner` between two of them, cost at most `limit`. Every clause is in
    /// exactly one group, in its order; no group is empty; no clauses, no groups.
    /// A clause that alone costs more than `limit` is refused.
    public static func split(
        _ clauses: [[String]], joiner: String? = nil, limit: Int = maximumBytes
    ) throws(ArgumentBatchError) -> [[[String]]] {
        let joinerCost = joiner.map(cost) ?? 0
        var groups: [[[String]]] = []
        var current: [[String]] = []
        var used = 0
        for clause in clauses {
            let clauseCost = clause.reduce(0) { $0 + cost($1) }
            guard clauseCost <= limit else {
                throw .clauseTooLong(bytes: clauseCost, limit: limit, first: clause.first(where: { $0.utf8.count > 16 }) ?? clause.first ?? "")
            }
            let added = current.isEmpty ? clauseCost : clauseCost + joinerCost
            if !current.isEmpty && used + added > limit {
                groups.append(current)
                current = []
                used = 0
            }
            used += current.isEmpty ? clauseCost : clauseCost + joinerCost
            current.append(clause)
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// The clauses of one group as arguments, `joiner` between two of them.
    public static func joined(_ group: [[String]], joiner: String?) -> [String] {
        var result: [String] = []
        for (index, clause) in group.enumerated() {
            if index > 0, let joiner { result.append(joiner) }
            result += clause
        }
        return result
    }
}

/// Why a list of arguments cannot be split into commands short enough to run.
public enum ArgumentBatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One clause alone is longer than a command may be.
    case clauseTooLong(bytes: Int, limit: Int, first: String)

    public var description: String {
        switch self {
        case .clauseTooLong(let bytes, let limit, let first):
            "one argument clause (`\(first.prefix(80))`) takes \(bytes) bytes quoted, more than the \(limit) one command may take"
        }
    }
}
