extension StepFactory {
    /// `operation: restore` with `archive` (the two-job form's second job):
    /// the archive opened into this run's staging dir, then migrate's target
    /// half on this machine's engine (`docker:` of the plan).
    func restoreArchiveSteps(_ archive: Template) -> [Step] {
        [
            openArchive(archive), checkRestoreTarget(after: .openArchive), createTarget(after: .checkTarget),
            applyChanges(after: .createTarget, changes: stagingFile(ArchiveLayout.rootfsChanges)),
            copyCheckpoint(after: .applyChanges, from: stagingFile(ArchiveLayout.checkpointDirectory)),
            startTarget(after: .copyCheckpoint), verifyRestore(after: .startTarget),
        ]
    }

    /// The decompressed archive, cut at the run's bound, as the first stages of a pipeline.
    private func decompressArchive(_ archive: Template) -> [CommandTemplate] {
        [
            CommandTemplate(
                purpose: "decompress the archive", arguments: ["zstd", "--decompress", "--quiet", "--stdout", "--", .value(archive)],
                output: .pipedToNext, side: .target
            ),
            CommandTemplate(
                purpose: "stop the stream one byte past the bound on its decompressed size (a decompression bomb cannot fill the disk)",
                arguments: ["head", "--bytes", .value(.variable(.archiveUnpackBound))], output: .pipedToNext, side: .target
            ),
        ]
    }

    /// The archive checked, bounded, listed, unpacked into this run's
    /// staging dir and verified; its facts and configuration bound.
    func openArchive(_ archive: Template) -> Step {
        let staging = stagingDir
        let operands = (archive.literalValue.map(ArchiveOpening.pathsToCheck) ?? [archive.description]).map { Argument.value(Template(literal: $0)) }
        return Step(
            kind: .openArchive,
            summary: "Open the archive \(archive): it must be a regular file owned by root, writable by root only, in folders only root "
                + "can change (`stat` of each, no link followed); the staging file system must have room for its decompressed size, "
                + "bounded at \(ArchiveOpening.ratio) times the archive's size (at least \(ArchiveOpening.minimumBound) bytes); "
                + "its listing is checked (only files and folders of the archive layout, names inside it, sizes bounded) before "
                + "`tar` unpacks it into this run's new staging dir, which is then walked without following links and checked "
                + "against the manifest's sha256 of every file; then its facts and configuration are read, bounded and "
                + "validated, and journaled as the run's facts. Nothing touches Docker before all of this has passed",
            dependsOn: [],
            commands: [
                CommandTemplate(
                    purpose: "read the type, owner, mode and size of every folder above the archive and of the archive (no link followed)",
                    arguments: ["stat", "--format=%F:%u:%a:%s", "--"] + operands, output: .fileStatus, side: .target
                ),
                resolveStaging(staging, homes: [plan.docker.home], side: .target),
                CommandTemplate(
                    purpose: "make the folder of staging dirs", arguments: ["mkdir", "--parents", "--mode=0700", "--", .value(plan.imageDir)],
                    side: .target
                ),
                CommandTemplate(
                    purpose: "read the free space of the staging dirs' file system",
                    arguments: ["df", "--output=avail", "--block-size=1", "--", .value(plan.imageDir)], output: .freeSpace, side: .target
                ),
                CommandTemplate(
                    purpose: "make this run's staging dir (mkdir fails if it exists: a used folder is refused; LC_ALL=C so that it says so in English "
                        + "whatever the locale)",
                    arguments: ["env", "LC_ALL=C", "mkdir", "--mode=0700", "--", .value(staging)], side: .target
                ),
            ] + decompressArchive(archive) + [
                CommandTemplate(
                    purpose: "list the archive's members (checked before anything is extracted)",
                    arguments: ["tar"] + ArchiveTarArguments.list.map { .value(Template(literal: $0)) } + ["--file=-"],
                    output: .archiveListing, side: .target
                ),
            ] + decompressArchive(archive) + [
                CommandTemplate(
                    purpose: "unpack the checked members into this run's staging dir (never as their owner or modes, never over a file)",
                    arguments: ["tar", "--extract", "--file=-", .value(Template(segments: [.text("--directory=")] + staging.segments))]
                        + ArchiveTarArguments.extractOptions.map { .value(Template(literal: $0)) },
                    side: .target
                ),
            ],
            checks: [.freshStagingDir(path: staging, dockerHomes: [plan.docker.home])],
            undo: .commands([
                CommandTemplate(
                    purpose: "remove this run's staging dir (the archive is kept)",
                    arguments: ["rm", "--recursive", "--force", "--", .value(staging)], side: .target
                ),
            ]),
            paths: StepPaths(imageDir: staging, dockerHome: plan.docker.home, archive: archive)
        )
    }

    /// check-target for a restore: the engine answers and runs with
    /// --experimental, the name is free, the archive's image is there by id
    /// (nothing is transferred in the two-job form).
    func checkRestoreTarget(after previous: StepKind) -> Step {
        var step = checkTarget(after: previous)
        step.summary = "Check this machine's engine: it answers and runs with --experimental (its `docker info` prints `true`), no "
            + "container is named `\(targetName)` (the inspect must find none), and it holds the archive's image by id (the two-job "
            + "form transfers no image: `docker save <id>` on the source machine, `docker load` here)"
        step.commands.append(CommandTemplate(
            purpose: "ask the engine for its storage driver (`storage.driver` of the plan must name it; crplan restores onto overlay2 and vfs)",
            arguments: docker(["info", "--format", "{{.Driver}}"], on: .target), side: .target
        ))
        step.paths = StepPaths(imageDir: stagingDir)
        return step
    }

    /// verify for a restore: the container runs the archive's command.
    func verifyRestore(after previous: StepKind) -> Step {
        Step(
            kind: .verifyMigration,
            summary: "Check that `\(targetName)` runs the command the archive's configuration names",
            dependsOn: [previous],
            commands: [inspectTargetByID],
            undo: .nothing,
            paths: StepPaths(dockerHome: plan.docker.home)
        )
    }
}
