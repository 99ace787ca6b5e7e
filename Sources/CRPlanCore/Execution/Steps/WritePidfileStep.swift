/// `write-pidfile`: the pid CRIU (or Docker) reported must be alive and run
/// the container's command; then the plan's pidfile is written atomically
/// and the pid journaled. Rollback removes the file only if crplan wrote it
/// and it still holds that pid.
struct WritePidfileStep: StepBehavior {
    func run(_ context: StepContext) async throws -> [String: String] {
        let host = context.host
        let path = try context.path(\.pidfile, "pidfile")
        guard let pid = try await restoredPid(context) else {
            throw StepFailure("no restored pid is known: neither the restore step's outputs nor its criu pidfile give one")
        }
        guard let process = await host.process(pid) else {
            throw StepFailure("the restored process \(pid) is not alive any more: the workload exited after the restore; see the restore log. The pidfile was not written")
        }
        if context.runsContainerCommand(process) == false {
            let expected = context.facts?.initCommandLine?.joined(separator: " ") ?? ""
            throw StepFailure("pid \(pid) runs `\(process.commandLine.joined(separator: " "))`, not the container's `\(expected)`: the pidfile was not written")
        }
        try await context.progress(["pidfile": path, "pid": String(pid)])
        try await host.writeFileAtomically(at: path, contents: Array("\(pid)\n".utf8), mode: 0o644)
        return ["pid": String(pid), "pidfile": path, "wroteFile": path]
    }

    func probe(_ context: StepContext) async throws -> ProbeDecision {
        guard let path = context.record?.outputs["pidfile"], let pid = context.record?.outputs["pid"] else {
            return .rerun("the pidfile was not written yet")
        }
        if try await context.readPid(at: path).map(String.init) == pid {
            return .done(["pid": pid, "pidfile": path, "wroteFile": path], reason: "\(path) holds pid \(pid)")
        }
        return .rerun("\(path) does not hold pid \(pid) yet")
    }

    /// The pid the step before reported, else the one in the step's criu pidfile.
    private func restoredPid(_ context: StepContext) async throws -> Int? {
        for kind in context.step.dependsOn {
            if let pid = context.outputs(of: kind)["pid"].flatMap({ Int($0) }) { return pid }
        }
        guard let criuPidfile = try context.bound().paths.criuPidfile else { return nil }
        return try await context.readPid(at: try context.literal(criuPidfile, "criu pidfile"))
    }
}
