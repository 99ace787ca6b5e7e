/// What CRIU measured while dumping and restoring a container: the
/// `stats-dump` and `stats-restore` files of its work directory, as plain
/// values. Times are microseconds, as CRIU records them.
///
/// `Codable` for the journal, `crplan status` and `--events json`;
/// `summary` is the one-line form for people.
public struct CheckpointStatistics: Sendable, Hashable, Codable {
    /// From `stats-dump`; nil when the dump left none (failed, or Docker's
    /// native mode, whose work directory containerd removes).
    public var dump: Dump?
    /// From `stats-restore`; nil before a restore.
    public var restore: Restore?

    public init(dump: Dump? = nil, restore: Restore? = nil) {
        self.dump = dump
        self.restore = restore
    }

    /// CRIU's `dump_stats_entry`.
    public struct Dump: Sendable, Hashable, Codable {
        /// From the freeze request until every task was frozen.
        public var freezingMicroseconds: Int
        /// How long the tasks stayed frozen: the workload's downtime during the dump.
        public var frozenMicroseconds: Int
        /// Collecting memory into page pipes.
        public var memoryDumpMicroseconds: Int
        /// Writing the pages to the images.
        public var memoryWriteMicroseconds: Int
        public var pagesScanned: Int
        /// Pages already in a parent (pre-dump) image, not written again.
        public var pagesSkippedParent: Int
        public var pagesWritten: Int
        /// Pages left for lazy migration.
        public var pagesLazy: Int
        public var pagePipes: Int?
        public var pagePipeBuffers: Int?
        /// Resolving inotify/fanotify watch paths.
        public var irmapResolveMicroseconds: Int?
        public var sharedPagesScanned: Int?
        public var sharedPagesSkippedParent: Int?
        public var sharedPagesWritten: Int?

        public init(
            freezingMicroseconds: Int, frozenMicroseconds: Int, memoryDumpMicroseconds: Int, memoryWriteMicroseconds: Int,
            pagesScanned: Int, pagesSkippedParent: Int, pagesWritten: Int, pagesLazy: Int,
            pagePipes: Int? = nil, pagePipeBuffers: Int? = nil, irmapResolveMicroseconds: Int? = nil,
            sharedPagesScanned: Int? = nil, sharedPagesSkippedParent: Int? = nil, sharedPagesWritten: Int? = nil
        ) {
            self.freezingMicroseconds = freezingMicroseconds
            self.frozenMicroseconds = frozenMicroseconds
            self.memoryDumpMicroseconds = memoryDumpMicroseconds
            self.memoryWriteMicroseconds = memoryWriteMicroseconds
            self.pagesScanned = pagesScanned
            self.pagesSkippedParent = pagesSkippedParent
            self.pagesWritten = pagesWritten
            self.pagesLazy = pagesLazy
            self.pagePipes = pagePipes
            self.pagePipeBuffers = pagePipeBuffers
            self.irmapResolveMicroseconds = irmapResolveMicroseconds
            self.sharedPagesScanned = sharedPagesScanned
            self.sharedPagesSkippedParent = sharedPagesSkippedParent
            self.sharedPagesWritten = sharedPagesWritten
        }
    }

    /// CRIU's `restore_stats_entry`.
    public struct Restore: Sendable, Hashable, Codable {
        /// Forking the process tree.
        public var forkingMicroseconds: Int
        /// The whole restore, until the tasks run again.
        public var restoreMicroseconds: Int
        public var pagesCompared: Int
        /// Pages shared copy-on-write with the parent, not restored.
        public var pagesSkippedCopyOnWrite: Int
        public var pagesRestored: Int?

        public init(
            forkingMicroseconds: Int, restoreMicroseconds: Int, pagesCompared: Int, pagesSkippedCopyOnWrite: Int,
            pagesRestored: Int? = nil
        ) {
            self.forkingMicroseconds = forkingMicroseconds
            self.restoreMicroseconds = restoreMicroseconds
            self.pagesCompared = pagesCompared
            self.pagesSkippedCopyOnWrite = pagesSkippedCopyOnWrite
            self.pagesRestored = pagesRestored
        }
    }

    /// True when neither file was found.
    public var isEmpty: Bool { dump == nil && restore == nil }

    /// One line, e.g. `dump: frozen 182.4 ms (freezing 0.9 ms, memdump 3.1 ms,
    /// memwrite 5.0 ms), 36 of 105 pages written; restore: 41.2 ms (forking
    /// 2.0 ms), 36 pages restored`.
    public var summary: String {
        var parts: [String] = []
        if let dump {
            parts.append(
                "dump: frozen \(Self.milliseconds(dump.frozenMicroseconds)) (freezing \(Self.milliseconds(dump.freezingMicroseconds)), "
                    + "memdump \(Self.milliseconds(dump.memoryDumpMicroseconds)), memwrite \(Self.milliseconds(dump.memoryWriteMicroseconds))), "
                    + "\(dump.pagesWritten) of \(dump.pagesScanned) pages written"
                    + (dump.pagesSkippedParent > 0 ? ", \(dump.pagesSkippedParent) in the parent" : "")
                    + (dump.pagesLazy > 0 ? ", \(dump.pagesLazy) lazy" : ""))
        }
        if let restore {
            parts.append(
                "restore: \(Self.milliseconds(restore.restoreMicroseconds)) (forking \(Self.milliseconds(restore.forkingMicroseconds)))"
                    + (restore.pagesRestored.map { ", \($0) pages restored" } ?? ""))
        }
        return parts.isEmpty ? "no CRIU statistics" : parts.joined(separator: "; ")
    }

    /// Microseconds as milliseconds with one decimal: `182.4 ms`.
    public static func milliseconds(_ microseconds: Int) -> String {
        let tenths = (microseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10) ms"
    }
}
