import SwiftProtobuf

/// Decodes the CRIU images crplan reads (statistics, process tree, core,
/// inventory) from their bytes into crplan's own values. Pure: the caller
/// reads the file (bounded by `CRIUImageKind.limits`) and names it for the
/// messages. Every refusal is a `CRIUImageError`; nothing traps.
public enum CRIUImageDecoder {
    /// `stats-dump` or `stats-restore`: one `stats_entry`. A dump file gives
    /// `dump`, a restore file `restore`; each file holds only its own part.
    public static func statistics(_ bytes: [UInt8], file: String) throws(CRIUImageError) -> CheckpointStatistics {
        let entry: Criu_stats_entry = try single(bytes, kind: .statistics, file: file)
        var result = CheckpointStatistics()
        if entry.hasDump {
            let dump = entry.dump
            result.dump = CheckpointStatistics.Dump(
                freezingMicroseconds: Int(dump.freezingTime),
                frozenMicroseconds: Int(dump.frozenTime),
                memoryDumpMicroseconds: Int(dump.memdumpTime),
                memoryWriteMicroseconds: Int(dump.memwriteTime),
                pagesScanned: Int(clamping: dump.pagesScanned),
                pagesSkippedParent: Int(clamping: dump.pagesSkippedParent),
                pagesWritten: Int(clamping: dump.pagesWritten),
                pagesLazy: Int(clamping: dump.pagesLazy),
                pagePipes: dump.hasPagePipes ? Int(clamping: dump.pagePipes) : nil,
                pagePipeBuffers: dump.hasPagePipeBufs ? Int(clamping: dump.pagePipeBufs) : nil,
                irmapResolveMicroseconds: dump.hasIrmapResolve ? Int(dump.irmapResolve) : nil,
                sharedPagesScanned: dump.hasShpagesScanned ? Int(clamping: dump.shpagesScanned) : nil,
                sharedPagesSkippedParent: dump.hasShpagesSkippedParent ? Int(clamping: dump.shpagesSkippedParent) : nil,
                sharedPagesWritten: dump.hasShpagesWritten ? Int(clamping: dump.shpagesWritten) : nil)
        }
        if entry.hasRestore {
            let restore = entry.restore
            result.restore = CheckpointStatistics.Restore(
                forkingMicroseconds: Int(restore.forkingTime),
                restoreMicroseconds: Int(restore.restoreTime),
                pagesCompared: Int(clamping: restore.pagesCompared),
                pagesSkippedCopyOnWrite: Int(clamping: restore.pagesSkippedCow),
                pagesRestored: restore.hasPagesRestored ? Int(clamping: restore.pagesRestored) : nil)
        }
        if result.isEmpty {
            throw .malformedEntry(file: file, index: 0, offset: 8, reason: "neither dump nor restore statistics in the entry")
        }
        return result
    }

    /// `pstree.img`: one entry per task, parents before children. The
    /// core fields of each `CheckpointProcess` are left nil.
    public static func processTree(_ bytes: [UInt8], file: String) throws(CRIUImageError) -> [CheckpointProcess] {
        let entries = try CRIUImageFraming.entries(of: bytes, kind: .processTree, file: file)
        guard !entries.isEmpty else { throw .missingEntry(file: file) }
        var processes: [CheckpointProcess] = []
        processes.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            let decoded: Criu_pstree_entry = try message(entry, index: index, file: file)
            processes.append(
                CheckpointProcess(
                    pid: Int(decoded.pid), parentPID: Int(decoded.ppid), processGroupID: Int(decoded.pgid),
                    sessionID: Int(decoded.sid), threads: decoded.threads.map { Int($0) }))
        }
        return processes
    }

    /// What one `core-<pid>.img` says about its task.
    public struct TaskCore: Sendable, Hashable {
        public var architecture: String
        public var command: String
        public var state: CheckpointProcess.TaskState
        public var exitCode: Int
    }

    /// `core-<pid>.img`: the task's command name, state and exit code.
    public static func core(_ bytes: [UInt8], file: String) throws(CRIUImageError) -> TaskCore {
        let entry: Criu_core_entry = try single(bytes, kind: .core, file: file)
        guard entry.hasTc else {
            throw .malformedEntry(file: file, index: 0, offset: 8, reason: "no task core (tc) in the core entry")
        }
        let architecture =
            switch entry.mtype {
            case .unknown: "unknown"
            case .x8664: "x86_64"
            case .arm: "arm"
            case .aarch64: "aarch64"
            case .ppc64: "ppc64"
            case .s390: "s390"
            }
        return TaskCore(
            architecture: architecture, command: entry.tc.comm, state: .init(rawValue: entry.tc.taskState),
            exitCode: Int(entry.tc.exitCode))
    }

    /// `inventory.img`: the image version and what the dump recorded about the host.
    public static func inventory(_ bytes: [UInt8], file: String) throws(CRIUImageError) -> CheckpointInventory {
        let entry: Criu_inventory_entry = try single(bytes, kind: .inventory, file: file)
        let module: String? =
            if entry.hasLsmtype {
                switch entry.lsmtype {
                case .noLsm: "none"
                case .selinux: "selinux"
                case .apparmor: "apparmor"
                }
            } else {
                nil
            }
        return CheckpointInventory(
            imageVersion: Int(entry.imgVersion), securityModule: module,
            dumpUptimeMicroseconds: entry.hasDumpUptime ? Int(clamping: entry.dumpUptime) : nil)
    }

    // MARK: - Framing + protobuf

    private static func single<M: SwiftProtobuf.Message>(
        _ bytes: [UInt8], kind: CRIUImageKind, file: String
    ) throws(CRIUImageError) -> M {
        let entries = try CRIUImageFraming.entries(of: bytes, kind: kind, file: file)
        guard let first = entries.first else { throw .missingEntry(file: file) }
        return try message(first, index: 0, file: file)
    }

    private static func message<M: SwiftProtobuf.Message>(
        _ entry: CRIUImageFraming.Entry, index: Int, file: String
    ) throws(CRIUImageError) -> M {
        var options = BinaryDecodingOptions()
        options.discardUnknownFields = true
        options.messageDepthLimit = 16
        do {
            return try M(serializedBytes: Array(entry.bytes), options: options)
        } catch let error as BinaryDecodingError {
            throw .malformedEntry(file: file, index: index, offset: entry.offset, reason: describe(error))
        } catch {
            throw .malformedEntry(file: file, index: index, offset: entry.offset, reason: String(describing: error))
        }
    }

    private static func describe(_ error: BinaryDecodingError) -> String {
        switch error {
        case .missingRequiredFields: "a field CRIU always writes is missing"
        case .truncated: "the protobuf message is cut short"
        case .invalidUTF8: "a text field is not valid UTF-8"
        case .malformedProtobuf: "not a protobuf message"
        case .messageDepthLimit: "nested too deeply"
        default: "cannot decode the protobuf message (\(error))"
        }
    }
}
