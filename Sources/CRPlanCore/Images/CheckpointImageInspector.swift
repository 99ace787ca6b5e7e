import CRPlanImages
import Foundation

/// Builds a `CheckpointImageReport` for an image dir through the host.
/// Each part is read on its own: a part that cannot be read becomes a
/// problem in the report, and the rest is still shown.
public enum CheckpointImageInspector {
    /// The largest `crplan-facts.json` read.
    public static let maximumFactsBytes = 1 << 20
    /// How much of the start of `dump.log` is read for its header lines.
    public static let maximumLogBytes = 64 << 20

    /// `runs` are the latest runs of every plan (`Executor.statusOfAllPlans()`);
    /// those whose journal names `imageDir` are summarised.
    public static func report(
        imageDir: String, host: some Host, runs: [RunStatus] = []
    ) async throws(ImageDirReadError) -> CheckpointImageReport {
        do {
            switch try await host.fileType(at: imageDir) {
            case .directory: break
            case nil: throw ImageDirReadError.host(.notFound(path: imageDir))
            case .symbolicLink: throw ImageDirReadError.host(.symbolicLink(path: imageDir))
            case .regular, .other:
                throw ImageDirReadError.host(.io(operation: "show", path: imageDir, message: "not a directory; give the checkpoint's image dir"))
            }
        } catch let error as ImageDirReadError {
            throw error
        } catch let error as HostError {
            throw .host(error)
        } catch {
            throw .host(.io(operation: "show", path: imageDir, message: String(describing: error)))
        }
        var report = CheckpointImageReport(imageDir: imageDir)
        report.container = await part(&report.problems) { () async throws(ImageDirReadError) in
            try await facts(in: imageDir, host: host)
        } ?? nil
        report.criu = await part(&report.problems) { () async throws(ImageDirReadError) in
            try await logSummary(ImageDirLayout.dumpLog, in: imageDir, host: host)
        } ?? nil
        report.restoreLog = await part(&report.problems) { () async throws(ImageDirReadError) in
            try await logSummary(ImageDirLayout.restoreLog, in: imageDir, host: host)
        } ?? nil
        report.size = await part(&report.problems) { () async throws(ImageDirReadError) in
            try await CheckpointImageDir.size(of: imageDir, host: host)
        }
        report.inventory = await part(&report.problems) { () async throws(ImageDirReadError) in
            try await CheckpointImageDir.inventory(in: imageDir, host: host)
        } ?? nil
        report.processes = await part(&report.problems) { () async throws(ImageDirReadError) in
            try await CheckpointImageDir.processTree(in: imageDir, host: host)
        } ?? nil
        report.statistics = await part(&report.problems) { () async throws(ImageDirReadError) in
            try await CheckpointImageDir.statistics(in: imageDir, host: host)
        } ?? nil
        report.runs = runs.filter { RunSummary.run($0, usesImageDir: imageDir) }.map(RunSummary.init)
        return report
    }

    /// `crplan-facts.json`, or nil when the dir has none.
    static func facts(in imageDir: String, host: some Host) async throws(ImageDirReadError) -> ContainerFacts? {
        let file = CheckpointImageDir.path(ImageDirLayout.containerFacts, in: imageDir)
        let bytes: [UInt8]
        do {
            guard let size = try await host.fileSize(at: file) else { return nil }
            try refuse(file, size: size, above: maximumFactsBytes)
            bytes = try await host.readFile(at: file)
        } catch {
            throw .host(error)
        }
        do {
            return try JSONDecoder().decode(ContainerFacts.self, from: Data(bytes))
        } catch {
            throw .host(.io(operation: "decode", path: file, message: "not the container facts crplan saves: \(error)"))
        }
    }

    /// The header and outcome of a CRIU log, or nil when there is none.
    static func logSummary(_ name: String, in imageDir: String, host: some Host) async throws(ImageDirReadError) -> CRIULogSummary? {
        let file = CheckpointImageDir.path(name, in: imageDir)
        do {
            guard let size = try await host.fileSize(at: file) else { return nil }
            try refuse(file, size: size, above: maximumLogBytes)
            let text = try await host.readText(at: file)
            return CRIULogSummary(file: name, text: text)
        } catch {
            throw .host(error)
        }
    }

    private static func refuse(_ file: String, size: Int, above limit: Int) throws(HostError) {
        guard size <= limit else {
            throw .io(operation: "read", path: file, message: "\(size) bytes, more than the \(limit) crplan reads")
        }
    }

    private static func part<T>(
        _ problems: inout [String], _ body: () async throws(ImageDirReadError) -> T
    ) async -> T? {
        do {
            return try await body()
        } catch {
            problems.append(error.description)
            return nil
        }
    }
}
