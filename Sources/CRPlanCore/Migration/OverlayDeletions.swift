/// The source's deletions as an overlay2 target needs them: the target
/// container was created and never started, so its writable layer is the
/// upper dir (`${target.rootfs}`), and removing a file there does not hide
/// the image's copy below. A deleted path becomes a whiteout (a character
/// device 0/0 made by `mknod`); a deleted folder the source made again
/// becomes an opaque folder (`trusted.overlay.opaque=y`, set by `setfattr`),
/// which hides everything the image has below it.
///
/// Every command is `find -P` walking the upper dir itself: it never enters
/// a symbolic link, and a whiteout is made only inside a folder `find` found
/// to be a real directory (`-type d` without following links), so nothing
/// outside the upper dir is touched. The folders holding a whiteout are in
/// the changes' tar (capture-changes adds every parent of a deleted path to
/// its list, with the source's owner and mode), which is unpacked first.
public enum OverlayDeletions {
    /// The deleted paths the source made again, as folders (something it
    /// added or changed lies at or below them): on overlay2 these become
    /// opaque folders, the others whiteouts.
    public static func recreated(_ changes: FileChanges) -> [String] {
        let kept = Set(changes.addedOrChanged)
        var prefixes = Set<String>()
        for path in changes.addedOrChanged {
            var parent = path
            while let up = PathBytes.parentAndName(parent).parent {
                parent = String(up)
                prefixes.insert(parent)
            }
        }
        return changes.deleted.filter { kept.contains($0) || prefixes.contains($0) }
    }

    /// Every folder that holds a deleted path (`a` and `a/b` for `a/b/c`),
    /// sorted so a folder comes before what it holds.
    public static func parents(of deleted: [String]) -> [String] {
        var result = Set<String>()
        for path in deleted {
            var parent = path
            while let up = PathBytes.parentAndName(parent).parent {
                parent = String(up)
                result.insert(parent)
            }
        }
        return result.sorted()
    }

    /// The list of paths capture-changes' tar archives: the folders that hold
    /// a deleted path and the folders made again (each with the source's
    /// owner and mode), then the added and changed paths; each path once.
    public static func archiveList(_ changes: FileChanges) -> [String] {
        let first = Set(parents(of: changes.deleted)).union(recreated(changes)).sorted()
        var seen = Set<String>()
        var result: [String] = []
        for path in first + changes.addedOrChanged where seen.insert(path).inserted {
            result.append(path)
        }
        return result
    }

    /// The deleted paths that become whiteouts (those not made again).
    public static func whiteouts(deleted: [String], recreated: [String]) -> [String] {
        let again = Set(recreated)
        return deleted.filter { !again.contains($0) }
    }

    /// `find` arguments that make each whiteout below `root`: per path,
    /// `( -path ROOT/parent -type d -exec mknod -m 000 {}/name c 0 0 ; )`,
    /// joined by `,` so that every clause is evaluated. A name holding `{}`
    /// is refused (find would replace it). All clauses in one command; the
    /// binding uses `whiteoutBatches`.
    public static func whiteoutArguments(root: String, deleted: [String], recreated: [String]) throws(MigrationRefusal) -> [String] {
        try whiteoutBatches(root: root, deleted: deleted, recreated: recreated, limit: .max)[0]
    }

    /// `whiteoutArguments` split into commands whose clauses cost at most
    /// `limit` bytes each (`ArgumentBatches`); one command when there is no whiteout.
    public static func whiteoutBatches(
        root: String, deleted: [String], recreated: [String], limit: Int = ArgumentBatches.maximumBytes
    ) throws(MigrationRefusal) -> [[String]] {
        var clauses: [[String]] = []
        for path in whiteouts(deleted: deleted, recreated: recreated) {
            try DeletedPaths.validate(path)
            guard !PathBytes.contains(path, bytes: "{}") else {
                throw .malformed("the deleted file `\(path.prefix(80))` has `{}` in its name, which crplan cannot make a whiteout for")
            }
            let split = PathBytes.parentAndName(path)
            let parent = split.parent.map { root + "/" + $0 } ?? root
            let name = String(split.name)
            clauses.append([
                "(", "-path", DeletedPaths.escapePattern(parent), "-type", "d",
                "-exec", "mknod", "-m", "000", "{}/" + name, "c", "0", "0", ";", ")",
            ])
        }
        guard !clauses.isEmpty else { return [nothing(root)] }
        return try batches(clauses, joiner: ",", limit: limit).map { [root] + $0 }
    }

    /// `find` arguments selecting the folders made again below `root` (real
    /// directories only); the caller sets them opaque. All in one command.
    public static func opaqueArguments(root: String, recreated: [String]) throws(MigrationRefusal) -> [String] {
        try opaqueBatches(root: root, recreated: recreated, limit: .max)[0]
    }

    /// `opaqueArguments` split into commands (`ArgumentBatches`).
    public static func opaqueBatches(root: String, recreated: [String], limit: Int = ArgumentBatches.maximumBytes) throws(MigrationRefusal) -> [[String]] {
        guard !recreated.isEmpty else { return [nothing(root)] }
        for path in recreated { try DeletedPaths.validate(path) }
        let clauses = recreated.map { ["-path", DeletedPaths.escapePattern(root + "/" + $0)] }
        return try batches(clauses, joiner: "-o", limit: limit).map { [root, "-mindepth", "1", "("] + $0 + [")", "-type", "d"] }
    }

    /// `find` arguments that print one `x` per whiteout and opaque folder
    /// found below `root` (`-printf x` follows): what apply-changes counts.
    /// All in one command.
    public static func checkArguments(root: String, deleted: [String], recreated: [String]) throws(MigrationRefusal) -> [String] {
        try checkBatches(root: root, deleted: deleted, recreated: recreated, limit: .max)[0]
    }

    /// `checkArguments` split into commands (`ArgumentBatches`): each path is
    /// selected by one clause, so the counts the commands print add up to
    /// `expectedCount` when every whiteout and opaque folder is there.
    public static func checkBatches(
        root: String, deleted: [String], recreated: [String], limit: Int = ArgumentBatches.maximumBytes
    ) throws(MigrationRefusal) -> [[String]] {
        let paths = whiteouts(deleted: deleted, recreated: recreated)
        guard !paths.isEmpty || !recreated.isEmpty else { return [nothing(root)] }
        var clauses: [[String]] = []
        for path in paths {
            try DeletedPaths.validate(path)
            clauses.append(["(", "-path", DeletedPaths.escapePattern(root + "/" + path), "-type", "c", ")"])
        }
        for path in recreated {
            try DeletedPaths.validate(path)
            clauses.append(["(", "-path", DeletedPaths.escapePattern(root + "/" + path), "-type", "d", ")"])
        }
        return try batches(clauses, joiner: "-o", limit: limit).map { [root, "-mindepth", "1", "("] + $0 + [")"] }
    }

    /// How many lines the check prints when every whiteout and opaque folder is there.
    public static func expectedCount(deleted: [String], recreated: [String]) -> Int {
        whiteouts(deleted: deleted, recreated: recreated).count + recreated.count
    }

    /// `ROOT -maxdepth 0 -false`: find walks nothing and selects nothing.
    static func nothing(_ root: String) -> [String] { [root, "-maxdepth", "0", "-false"] }

    /// The clauses grouped under `limit` and joined, each group one command's expression.
    static func batches(_ clauses: [[String]], joiner: String, limit: Int) throws(MigrationRefusal) -> [[String]] {
        do {
            return try ArgumentBatches.split(clauses, joiner: joiner, limit: limit).map { ArgumentBatches.joined($0, joiner: joiner) }
        } catch {
            throw .malformed("cannot apply the source's deletions: \(error.description)")
        }
    }
}
