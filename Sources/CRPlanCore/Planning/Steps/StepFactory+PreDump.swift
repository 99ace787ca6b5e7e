extension StepFactory {
    /// With `criu.preDump`: `check-memory-tracking`, then `pre-dump-1` … `pre-dump-N`;
    /// without it, nothing.
    func preDumps(after previous: StepKind) -> [Step] {
        guard let preDump = plan.criu.preDump else { return [] }
        var steps = [checkMemoryTracking(after: previous)]
        var before = StepKind.checkMemoryTracking
        for iteration in 1...min(preDump.iterations, StepKind.preDumps.count) {
            guard let kind = StepKind.preDump(iteration) else { break }
            steps.append(self.preDump(iteration, of: preDump.iterations, kind: kind, after: before))
            before = kind
        }
        return steps
    }

    /// The step `dump` follows: the last pre-dump, or `inspect`.
    var lastBeforeDump: StepKind {
        plan.criu.preDump.flatMap { StepKind.preDump(min($0.iterations, StepKind.preDumps.count)) } ?? .inspect
    }

    /// `check-memory-tracking`: pre-dumps rely on the kernel's soft-dirty
    /// bits; without them CRIU would fail only after freezing the container.
    /// `criu check --feature mem_dirty_track` exits non-zero (saying "Dirty
    /// tracking is OFF") on such a kernel, before anything is touched.
    func checkMemoryTracking(after previous: StepKind) -> Step {
        Step(
            kind: .checkMemoryTracking,
            summary: "Check that the kernel tracks memory changes (soft-dirty bits), which `criu.preDump` needs; refuse the plan here, before anything is frozen",
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "check that the kernel tracks memory changes",
                    arguments: [.value(plan.criu.binary), "check", "--feature", "mem_dirty_track"]
                ),
            ],
            undo: .nothing,
            timeout: Self.checkTimeout
        )
    }

    /// `pre-dump-<n>`: `criu pre-dump --track-mem` into `<imageDir>/pre-dump-<n>`,
    /// the container left running; from the second on, `--prev-images-dir
    /// ../pre-dump-<n-1>` (relative to its `-D`). The same root, external
    /// mounts and flags as the dump, without `criu.extraArgs` (a pre-dump
    /// copies memory only). Its images are never deleted: the dump's image
    /// dir links to them as its parent.
    func preDump(_ iteration: Int, of iterations: Int, kind: StepKind, after previous: StepKind) -> Step {
        let criu = plan.criu
        let folder = imageFile(ImageDirLayout.preDumpFolder(iteration))
        var argv: [Argument] = [
            .value(criu.binary), "pre-dump", "-o", .value(Template(literal: ImageDirLayout.preDumpLog)), criuLogLevel,
            "-t", .value(.variable(.containerPid)),
            "-D", .value(folder),
        ]
        argv += dumpOptions(leaveRunning: false)
        if iteration > 1 {
            argv += ["--prev-images-dir", .value(Template(literal: "../" + ImageDirLayout.preDumpFolder(iteration - 1)))]
        }
        argv.append("--track-mem")
        let log = Self.file(ImageDirLayout.preDumpLog, in: folder)
        return Step(
            kind: kind,
            summary: "Pre-dump \(iteration) of \(iterations): copy the container's memory"
                + (iteration > 1 ? " changed since pre-dump \(iteration - 1)" : "")
                + " into \(ImageDirLayout.preDumpFolder(iteration))/ of the image dir while it keeps running "
                + "(CRIU freezes it only while it collects the pages); kept by rollback",
            dependsOn: [previous],
            commands: [
                CommandTemplate(purpose: "pre-dump the container's memory with criu pre-dump", arguments: argv, workingDirectory: folder),
            ],
            produces: [folder, log],
            checks: [.logContains(log: log, text: StepCheck.preDumpFinished)],
            undo: .nothing,
            paths: StepPaths(imageDir: folder, log: log),
            timeout: dumpTimeout
        )
    }

    /// How long `criu check` may take.
    static let checkTimeout = PlanDuration(milliseconds: 60_000)

    /// `<folder>/<name>`.
    static func file(_ name: String, in folder: Template) -> Template {
        Template(segments: folder.segments + [.text("/" + name)])
    }
}
