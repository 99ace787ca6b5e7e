import CRPlanImages

/// Reads what a CRIU checkpoint left in an image dir, through the host:
/// statistics, sizes by kind, the process tree and the inventory. Docker's
/// native checkpoint folder (`<docker home>/containers/<id>/checkpoints/<name>/`)
/// holds the same images, though no statistics (containerd removes CRIU's
/// work directory).
///
/// Every file is sized before it is read and refused above its kind's
/// limit; missing files are nil, damaged ones are errors naming the file.
public enum CheckpointImageDir {
    /// The most directory entries `size(of:host:)` examines.
    public static let maximumFiles = 100_000
    /// The most tasks whose `core-<pid>.img` `processTree(in:host:)` reads.
    public static let maximumCoreFiles = 4_096

    /// `stats-dump` and `stats-restore` merged; nil when neither exists.
    public static func statistics(
        in imageDir: String, host: some Host
    ) async throws(ImageDirReadError) -> CheckpointStatistics? {
        var result = CheckpointStatistics()
        if let bytes = try await read(ImageDirLayout.statsDump, in: imageDir, kind: .statistics, host: host) {
            result.dump = try decode { () throws(CRIUImageError) in
                try CRIUImageDecoder.statistics(bytes, file: path(ImageDirLayout.statsDump, in: imageDir)).dump
            }
        }
        if let bytes = try await read(ImageDirLayout.statsRestore, in: imageDir, kind: .statistics, host: host) {
            result.restore = try decode { () throws(CRIUImageError) in
                try CRIUImageDecoder.statistics(bytes, file: path(ImageDirLayout.statsRestore, in: imageDir)).restore
            }
        }
        return result.isEmpty ? nil : result
    }

    /// The bytes of every regular file directly in the image dir, by kind.
    public static func size(
        of imageDir: String, host: some Host
    ) async throws(ImageDirReadError) -> CheckpointImageSize {
        let names: [String]
        do { names = try await host.listDirectory(at: imageDir) } catch { throw .host(error) }
        guard names.count <= maximumFiles else {
            throw .tooManyFiles(directory: imageDir, count: names.count, limit: maximumFiles)
        }
        var size = CheckpointImageSize()
        for name in names {
            let file = path(name, in: imageDir)
            do {
                guard try await host.fileType(at: file) == .regular, let bytes = try await host.fileSize(at: file) else { continue }
                size.add(fileNamed: name, bytes: bytes)
            } catch {
                throw .host(error)
            }
        }
        return size
    }

    /// The dumped tree from `pstree.img`, each task completed from its
    /// `core-<pid>.img` (a missing or refused core file is noted in
    /// `coreProblem`, not thrown). Nil when there is no `pstree.img`.
    public static func processTree(
        in imageDir: String, host: some Host
    ) async throws(ImageDirReadError) -> [CheckpointProcess]? {
        let treeFile = "pstree.img"
        guard let bytes = try await read(treeFile, in: imageDir, kind: .processTree, host: host) else { return nil }
        var processes = try decode { () throws(CRIUImageError) in
            try CRIUImageDecoder.processTree(bytes, file: path(treeFile, in: imageDir))
        }
        for index in processes.indices {
            guard index < maximumCoreFiles else {
                processes[index].coreProblem = "not read: crplan reads the core images of the first \(maximumCoreFiles) tasks"
                continue
            }
            let coreFile = "core-\(processes[index].pid).img"
            do {
                guard let coreBytes = try await read(coreFile, in: imageDir, kind: .core, host: host) else {
                    processes[index].coreProblem = "\(coreFile) is missing"
                    continue
                }
                let core = try decode { () throws(CRIUImageError) in
                    try CRIUImageDecoder.core(coreBytes, file: path(coreFile, in: imageDir))
                }
                processes[index].command = core.command
                processes[index].state = core.state
                processes[index].exitCode = core.exitCode
            } catch {
                processes[index].coreProblem = String(describing: error)
            }
        }
        return processes
    }

    /// `inventory.img`; nil when there is none (the dump did not finish).
    public static func inventory(
        in imageDir: String, host: some Host
    ) async throws(ImageDirReadError) -> CheckpointInventory? {
        let file = "inventory.img"
        guard let bytes = try await read(file, in: imageDir, kind: .inventory, host: host) else { return nil }
        return try decode { () throws(CRIUImageError) in try CRIUImageDecoder.inventory(bytes, file: path(file, in: imageDir)) }
    }

    // MARK: - Bounded reads

    static func path(_ name: String, in imageDir: String) -> String {
        imageDir.hasSuffix("/") ? imageDir + name : imageDir + "/" + name
    }

    /// The file's bytes, or nil when it does not exist; refused above the kind's limit before reading.
    static func read(
        _ name: String, in imageDir: String, kind: CRIUImageKind, host: some Host
    ) async throws(ImageDirReadError) -> [UInt8]? {
        let file = path(name, in: imageDir)
        let limit = kind.limits.fileBytes
        do {
            guard let size = try await host.fileSize(at: file) else { return nil }
            guard size <= limit else { throw ImageDirReadError.image(.fileTooLarge(file: file, size: size, limit: limit)) }
            let bytes = try await host.readFile(at: file)
            // The file may have grown between the two calls.
            guard bytes.count <= limit else { throw ImageDirReadError.image(.fileTooLarge(file: file, size: bytes.count, limit: limit)) }
            return bytes
        } catch let error as ImageDirReadError {
            throw error
        } catch let error as HostError {
            throw .host(error)
        } catch {
            throw .host(.io(operation: "read", path: file, message: String(describing: error)))
        }
    }

    private static func decode<T>(_ body: () throws(CRIUImageError) -> T) throws(ImageDirReadError) -> T {
        do { return try body() } catch { throw .image(error) }
    }
}

extension CheckpointImageDir {
    /// Statistics and size together, never throwing: what the executor
    /// journals after `dump`, `restore`, `checkpoint-create` or
    /// `start-from-checkpoint`. A file that cannot be read becomes a problem
    /// in the result; a step that succeeded must not fail over its statistics.
    public static func measure(imageDir: String, host: some Host) async -> CheckpointMeasurements {
        var measurements = CheckpointMeasurements()
        do {
            measurements.statistics = try await statistics(in: imageDir, host: host)
        } catch {
            measurements.problems.append(error.description)
        }
        do {
            measurements.size = try await size(of: imageDir, host: host)
        } catch {
            measurements.problems.append(error.description)
        }
        return measurements
    }
}
