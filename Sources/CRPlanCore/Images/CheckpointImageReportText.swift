import CRPlanImages

/// The text form of `crplan show`: one block per part, each line starting
/// with what it is about.
public enum CheckpointImageReportText {
    public static func render(_ report: CheckpointImageReport) -> String {
        var lines = ["image dir \(report.imageDir)"]
        if let facts = report.container {
            lines.append("container \(facts.name) (id \(facts.id)), storage \(facts.driver), root \(facts.rootfs)")
            if let command = facts.initCommandLine, !command.isEmpty {
                lines.append("  command: \(ShellQuoting.line(command))")
            }
            lines.append("  at inspect: pid \(facts.pid), \(facts.status); docker home \(facts.dockerHome)")
        } else {
            lines.append("container: no \(ImageDirLayout.containerFacts) (not written by crplan's inspect, e.g. a native checkpoint)")
        }
        if let criu = report.criu {
            var line = "CRIU \(criu.version ?? "of unknown version")"
            if let gitID = criu.gitID { line += " (git \(gitID))" }
            if let kernel = criu.kernel { line += " on \(kernel)" }
            lines.append(line)
            for option in criu.configuration { lines.append("  \(option)") }
        } else {
            lines.append("CRIU: no \(ImageDirLayout.dumpLog)")
        }
        for log in [report.criu, report.restoreLog].compactMap({ $0 }) {
            var line = "  \(log.file): "
            line += log.finishedSuccessfully ? "finished successfully" : "does not say it finished successfully"
            if let elapsed = log.elapsedSeconds { line += " after \(format(seconds: elapsed))" }
            if let dumped = log.dumpedProcess { line += "; dumped \(dumped) (host pid)" }
            if let runID = log.runID { line += "; CRIU run id \(runID)" }
            lines.append(line)
        }
        if let size = report.size { lines.append("image size \(size.summary)") }
        if let inventory = report.inventory {
            var line = "inventory: image version \(inventory.imageVersion)"
            if let module = inventory.securityModule { line += ", security module \(module)" }
            lines.append(line)
        }
        if let processes = report.processes {
            lines.append("process tree at dump (\(processes.count) task\(processes.count == 1 ? "" : "s"), pids in the container):")
            lines.append("  " + pad("PID", 8) + pad("PPID", 8) + pad("STATE", 9) + "COMMAND")
            let depths = depths(of: processes)
            for process in processes {
                var line = "  " + pad(String(process.pid), 8) + pad(String(process.parentPID), 8)
                line += pad(process.state?.description ?? "?", 9)
                line += String(repeating: "  ", count: depths[process.pid] ?? 0) + (process.command ?? "?")
                if process.threads.count > 1 { line += " (\(process.threads.count) threads)" }
                if process.state == .zombie, let code = process.exitCode { line += " (exit code \(code))" }
                if let problem = process.coreProblem { line += " [\(problem)]" }
                lines.append(line)
            }
        } else if report.problems.contains(where: { $0.contains("/pstree.img") }) {
            lines.append("process tree: pstree.img could not be read (see below)")
        } else {
            lines.append("process tree: no pstree.img")
        }
        if let statistics = report.statistics {
            lines.append("statistics:")
            if let dump = statistics.dump {
                lines.append(
                    "  dump: frozen \(ms(dump.frozenMicroseconds)) (freezing \(ms(dump.freezingMicroseconds)), "
                        + "memdump \(ms(dump.memoryDumpMicroseconds)), memwrite \(ms(dump.memoryWriteMicroseconds)))")
                lines.append(
                    "        pages: \(dump.pagesScanned) scanned, \(dump.pagesWritten) written, "
                        + "\(dump.pagesSkippedParent) skipped (in the parent), \(dump.pagesLazy) lazy")
            }
            if let restore = statistics.restore {
                lines.append("  restore: \(ms(restore.restoreMicroseconds)) (forking \(ms(restore.forkingMicroseconds)))")
                lines.append(
                    "        pages: \(restore.pagesRestored.map(String.init) ?? "?") restored, \(restore.pagesCompared) compared, "
                        + "\(restore.pagesSkippedCopyOnWrite) skipped (copy-on-write)")
            }
        } else if report.problems.contains(where: { $0.contains("/stats-dump") || $0.contains("/stats-restore") }) {
            lines.append("statistics: CRIU's statistics could not be read (see below)")
        } else {
            lines.append("statistics: none (no stats-dump or stats-restore: a native checkpoint, or CRIU did not finish)")
        }
        if report.runs.isEmpty {
            lines.append("runs: no journal names this image dir (see --state-dir)")
        }
        for run in report.runs {
            var line = "run \(run.runID) of plan \(run.planName): \(run.operation.rawValue), \(run.mode.rawValue) mode, \(run.phase.rawValue)"
            line += ", started \(run.startedAt.iso8601)"
            if let duration = run.durationMilliseconds { line += ", \(format(seconds: Double(duration) / 1000))" }
            lines.append(line)
            lines.append("  journal: \(run.journalPath)")
            for step in run.steps {
                var stepLine = "  " + pad(step.step.rawValue, 24) + pad(step.state.rawValue, 16)
                stepLine += step.durationMilliseconds.map { format(seconds: Double($0) / 1000) } ?? "-"
                if step.attempts > 1 { stepLine += " (\(step.attempts) attempts)" }
                lines.append(stepLine)
                if let error = step.error { lines.append("      error: \(error)") }
            }
        }
        if !report.problems.isEmpty {
            lines.append("could not read:")
            for problem in report.problems { lines.append("  \(problem)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The deepest indentation shown; also bounds the walk up a (hostile) chain or cycle of parents.
    static let maximumDepth = 16

    /// Depth of each pid in the tree (roots 0), at most `maximumDepth`.
    static func depths(of processes: [CheckpointProcess]) -> [Int: Int] {
        var parent: [Int: Int] = [:]
        for process in processes { parent[process.pid] = process.parentPID }
        var depths: [Int: Int] = [:]
        for process in processes {
            var depth = 0
            var current = process.parentPID
            while let next = parent[current], depth < maximumDepth {
                depth += 1
                current = next
            }
            depths[process.pid] = depth
        }
        return depths
    }

    private static func ms(_ microseconds: Int) -> String { CheckpointStatistics.milliseconds(microseconds) }

    private static func format(seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        return milliseconds < 1000 ? "\(milliseconds) ms" : "\(milliseconds / 1000).\(pad3(milliseconds % 1000)) s"
    }

    private static func pad3(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 3 - text.count)) + text
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
