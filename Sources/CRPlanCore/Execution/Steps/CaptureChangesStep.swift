/// `capture-changes` (migrate): the source's file changes from its overlay
/// upper dir, after the checkpoint: its printed `find` lists the whiteouts
/// (deleted files) and its `tar` archives everything else, in the staging
/// dir on crplan's machine. The list is read back (bounded, every path
/// checked to stay inside a root) and journaled with the facts, which bind
/// apply-changes' removal on the target. Reruns safely.
struct CaptureChangesStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let run = try await context.runCommands()
        if let failure = run.failureDescription {
            throw StepFailure("capturing the source's file changes failed: \(failure)")
        }
        let bound = try context.bound()
        guard let listTemplate = bound.produces.first(where: { $0.literalValue?.hasSuffix("/rootfs-deleted.list") ?? false }) else {
            throw StepFailure("step capture-changes names no list of deleted files (a crplan bug: please report it)")
        }
        let list = try context.literal(listTemplate, "the list of deleted files")
        guard let size = try await context.host.fileSize(at: list), size <= DeletedPaths.maximumCount * 256 else {
            throw StepFailure("\(list) is missing or larger than crplan reads")
        }
        var bytes = try await context.host.readFile(at: list)
        // `find -fprintf './%P\n'`: drop the `./` of each line.
        bytes = Array(bytes.split(separator: UInt8(ascii: "\n")).map { line in
            line.starts(with: Array("./".utf8)) ? Array(line.dropFirst(2)) + [UInt8(ascii: "\n")] : Array(line) + [UInt8(ascii: "\n")]
        }.joined())
        let deleted: [String]
        do {
            deleted = try DeletedPaths.parse(bytes)
        } catch {
            throw StepFailure("\(list): \(error.description)")
        }
        try await context.rebindFacts(source: "capture-changes") { $0.deletedPaths = deleted }
        return ["deletedFiles": String(deleted.count)]
    }
}

/// `apply-changes` (migrate): on the target, remove what the source
/// deleted (`find -P` walking the root, never entering a link), unpack the
/// tar, and give the root the mode CRIU checks. Every command is printed
/// and runs on the target's host; reruns safely.
struct ApplyChangesStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let run = try await context.runCommands()
        if let failure = run.failureDescription {
            throw StepFailure("applying the file changes to the target failed: \(failure)")
        }
        return ["applied": "true"]
    }
}

/// `copy-checkpoint` (migrate): the staged checkpoint copied where the
/// target engine looks for it (printed `mkdir` and `cp` on the target).
struct CopyCheckpointStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let run = try await context.runCommands()
        if let failure = run.failureDescription {
            throw StepFailure("copying the checkpoint to the target failed: \(failure)")
        }
        return ["copied": "true"]
    }
}
