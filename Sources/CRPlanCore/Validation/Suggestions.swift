/// "Did you mean …?" for misspelt keys, enum values and variables.
enum Suggestions {
    /// The candidate closest to `word` (case-insensitive edit distance),
    /// if it is close enough to be a likely typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        // A match is at most 3 edits away, so at most 3 bytes longer or shorter
        // than the word: skip the others without computing a distance (a
        // 16 KiB unknown key would otherwise cost 16 KiB × each candidate).
        // (Lowercasing shrinks a character to no less than a third of its bytes.)
        let longest = candidates.map(\.utf8.count).max() ?? 0
        guard word.utf8.count <= 3 * (longest + 3) else { return nil }
        let lowered = Array(word.lowercased().utf8)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where abs(candidate.utf8.count - lowered.count) <= 3 {
            let distance = editDistance(lowered, Array(candidate.lowercased().utf8))
            if distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        guard let best else { return nil }
        let limit = max(1, min(3, max(lowered.count, best.candidate.utf8.count) / 3))
        return best.distance <= limit ? best.candidate : nil
    }

    /// "did you mean `x`?" or, without a close match, the list of choices.
    static func hint(for word: String, in candidates: [String], listName: String) -> String {
        if let match = closest(to: word, in: candidates) {
            return "did you mean `\(match)`?"
        }
        return "\(listName): " + candidates.map { "`\($0)`" }.joined(separator: ", ")
    }

    /// Levenshtein distance where swapping two neighbours costs one.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
