extension StepFactory {
    /// The name the container gets on the target engine.
    var targetName: String { plan.target?.name ?? plan.container.value }
    /// A copy (`criu.leaveRunning`): the source keeps running.
    var isCopy: Bool { plan.criu.leaveRunning }

    /// What checkpoint-create says of a source Docker stops.
    private var freezeSummary: String {
        plan.operation == .migrate
            ? "; Docker stops it (a move)"
            : "; Docker stops it, and it stays stopped after success: its workload then lives in the checkpoint and the archive, "
                + "to be restored elsewhere (a rollback before the archive is kept starts it again from the checkpoint)"
    }

    /// `docker [-H host] <arguments>` on one side of a migration.
    func docker(_ arguments: [Argument], on side: EngineSide) -> [Argument] {
        guard side == .target, let target = plan.target else { return docker(arguments) }
        var argv: [Argument] = [.value(target.docker.binary)]
        if let host = target.docker.host {
            argv += ["-H", .value(host)]
        }
        return argv + arguments
    }

    /// `docker inspect` of the target container by its name, read as its state.
    var inspectTarget: CommandTemplate {
        CommandTemplate(
            purpose: "read the target container's state from the target engine",
            arguments: docker(["inspect", "--type", "container", "--", .value(Template(literal: targetName))], on: .target),
            output: .containerInspect, side: .target
        )
    }

    /// `docker inspect` of the target container by the id create-target bound.
    var inspectTargetByID: CommandTemplate {
        CommandTemplate(
            purpose: "read the target container's state from the target engine",
            arguments: docker(["inspect", "--type", "container", "--", .value(.variable(.targetID))], on: .target),
            output: .containerInspect, side: .target
        )
    }

    /// The target engine's data root.
    var targetHome: Template { plan.target?.docker.home ?? plan.docker.home }

    /// This run's staging dir, `<imageDir>/<run id>`: made by checkpoint-create
    /// (and, over ssh, its `-received` copy by create-target on the target) with `mkdir` without
    /// `--parents`, so a folder that exists already is refused; the run id is
    /// journaled with the facts, so a resume of the run finds its own folder.
    var stagingDir: Template {
        var segments = plan.imageDir.segments
        if case .text(let text)? = segments.last, text.hasSuffix("/") {
            segments.append(.variable(.runID))
        } else {
            segments += [.text("/"), .variable(.runID)]
        }
        return Template(segments: segments)
    }

    /// A file in this run's staging dir.
    func stagingFile(_ name: String) -> Template {
        Template(segments: stagingDir.segments + [.text("/" + name)])
    }

    /// Where the target engine reads the staging dir: this run's staging dir
    /// when the target engine is on this machine; over ssh,
    /// `<imageDir>/<run id>-received` there, which create-target makes before
    /// the freeze and send-staging fills (never the source's own folder: the
    /// machine reached over ssh may be this one, and a received folder must be new).
    var targetStagingDir: Template {
        targetSSH == nil ? stagingDir : Template(segments: stagingDir.segments + [.text("-received")])
    }

    /// A file in the target's staging dir.
    func targetStagingFile(_ name: String) -> Template {
        Template(segments: targetStagingDir.segments + [.text("/" + name)])
    }

    /// The Docker engines' data roots, inside which no staging dir may be.
    var stagingForbiddenHomes: [Template] {
        plan.target.map { [plan.docker.home, $0.docker.home] } ?? [plan.docker.home]
    }

    /// `realpath --canonicalize-missing` of a staging dir and of the Docker
    /// data roots, on the side that makes the folder: a link in imageDir's
    /// path (`/srv/stage -> /var/lib/docker`) is followed there, and the step
    /// refuses a real path in a data root or a system folder.
    func resolveStaging(_ staging: Template, homes: [Template], side: EngineSide) -> CommandTemplate {
        CommandTemplate(
            purpose: "resolve the real path of the staging dir and of the Docker data roots (every link followed), which must not hold it",
            arguments: ["realpath", "--canonicalize-missing", "--", .value(staging)] + homes.map { .value($0) },
            output: .stagingRealPath, side: side
        )
    }

    /// The checkpoint folder `docker checkpoint create --checkpoint-dir` writes in the staging dir.
    var stagedCheckpoint: Template { stagingFile(checkpointName) }

    /// A path below the target engine's data root.
    func targetHomeFile(_ suffix: [Template.Segment]) -> Template {
        Template(segments: (plan.target?.docker.home ?? plan.docker.home).segments + suffix)
    }

    /// Where the target engine looks for the container's checkpoints.
    var targetCheckpoints: Template {
        targetHomeFile([.text("/containers/"), .variable(.targetID), .text("/checkpoints")])
    }

    /// Where the source engine looks for the container's checkpoints (a rollback starts it from there).
    var sourceCheckpoints: Template {
        Template(segments: [.variable(.containerDir), .text("/checkpoints")])
    }

    /// The steps of `operation: migrate`, in execution order.
    func migrateSteps() -> [Step] {
        var steps = [inspect(), checkTarget(after: .inspect)]
        var previous = StepKind.checkTarget
        if plan.target?.image == .transfer {
            steps.append(transferImage(after: previous))
            previous = .transferImage
        }
        steps += [createTarget(after: previous), migrateCheckpoint(after: .createTarget), captureChanges(after: .checkpointCreate)]
        previous = .captureChanges
        if let archive = plan.archive {
            steps.append(writeArchive(archive, after: previous))
            previous = .writeArchive
        }
        if targetSSH != nil {
            steps += [sendStaging(after: previous), verifyStaging(after: .sendStaging)]
            previous = .verifyStaging
        }
        steps += [
            applyChanges(after: previous), copyCheckpoint(after: .applyChanges), startTarget(after: .copyCheckpoint),
            verifyMigration(after: .startTarget),
        ]
        if !isCopy, plan.target?.source == .remove {
            steps.append(finalizeSource(after: .verifyMigration))
        }
        return steps
    }

    func checkTarget(after previous: StepKind) -> Step {
        let require = plan.target?.image == .require
        // the versions go into an archive this run writes; a restore reads one
        let asksVersions = plan.archive != nil && !plan.restoresArchive
        return Step(
            kind: .checkTarget,
            summary: "Check the target engine: it answers and runs with --experimental (its `docker info` prints `true`), no container "
                + "is named `\(targetName)` there (the inspect must find none), and it holds the source's image by id"
                + (require ? " (required: `target.image: require`)" : ", else the image is transferred")
                + (!asksVersions ? "" : "; ask the source's engine, kernel and CRIU versions for the archive's manifest (before the freeze)"),
            dependsOn: [previous],
            commands: checkTargetCommands + (asksVersions ? sourceVersionProbes : []),
            undo: .nothing,
            paths: StepPaths(imageDir: stagingDir, archive: plan.archive)
        )
    }

    /// The source's engine, kernel and CRIU versions for an archive's
    /// manifest: asked by check-target (migrate) or check-archive
    /// (checkpoint), before anything is frozen, and
    /// journaled with the facts for write-archive.
    var sourceVersionProbes: [CommandTemplate] {
        [
            CommandTemplate(
                purpose: "ask the source engine's version for the archive's manifest",
                arguments: docker(["version", "--format", "{{.Server.Version}}"], on: .source), output: .engineVersion, side: .source
            ),
            CommandTemplate(
                purpose: "ask the kernel release for the archive's manifest", arguments: ["uname", "--kernel-release"],
                output: .kernelRelease, side: .source
            ),
            CommandTemplate(
                purpose: "ask CRIU's version for the archive's manifest", arguments: [.value(plan.criu.binary), "--version"],
                output: .criuVersion, side: .source
            ),
        ]
    }

    private var checkTargetCommands: [CommandTemplate] {
        [
            CommandTemplate(
                purpose: "ask the target engine whether it runs with --experimental",
                arguments: docker(["info", "--format", "{{.ExperimentalBuild}}"], on: .target), side: .target
            ),
            CommandTemplate(
                purpose: "check that the name is free on the target",
                arguments: docker(["inspect", "--type", "container", "--", .value(Template(literal: targetName))], on: .target),
                side: .target
            ),
            CommandTemplate(
                purpose: "look for the source's image on the target by id",
                arguments: docker(["image", "inspect", "--format", "{{.Id}}", "--", .value(.variable(.sourceImage))], on: .target),
                side: .target
            ),
        ]
    }

    func transferImage(after previous: StepKind) -> Step {
        var commands = [
            CommandTemplate(
                purpose: "write the source's image as a tar stream",
                arguments: docker(["save", "--", .value(.variable(.sourceImage))], on: .source), output: .pipedToNext, side: .source
            ),
        ]
        if targetSSH != nil {
            // `docker load` (20.10) reads gzip, bzip2 and xz but not zstd, so the
            // stream crossing the network is gzip'd: one remote program, no remote shell.
            commands.append(CommandTemplate(
                purpose: "compress the image stream for the network (docker load reads gzip)",
                arguments: ["gzip", "--fast", "--stdout"], output: .pipedToNext, side: .source
            ))
        }
        commands.append(CommandTemplate(purpose: "load the image on the target", arguments: docker(["load"], on: .target), side: .target))
        return Step(
            kind: .transferImage,
            summary: "Copy the source's image to the target by id (`docker save <id> | "
                + (targetSSH != nil ? "gzip | ssh … docker load`" : "docker load`")
                + ", so no tag moves); skipped when check-target found it there. Images are never deleted",
            dependsOn: [previous],
            commands: commands,
            undo: .nothing
        )
    }

    /// Migrate over ssh: the staging dir (the checkpoint, the captured
    /// changes) streamed into `<imageDir>/<run id>-received` on the target
    /// machine (made by create-target, before the freeze). Processes
    /// connected by pipes, no shell on either side: `tar` and `zstd` here,
    /// one `tar --zstd --extract` there (tar runs `zstd -d` itself).
    func sendStaging(after previous: StepKind) -> Step {
        Step(
            kind: .sendStaging,
            summary: "Send the staging dir (checkpoint and captured changes) into the new folder beside it on the target machine "
                + "(`<run id>-received`, made by create-target before the freeze): `tar | zstd` here piped into `tar --zstd --extract` "
                + "there through ssh",
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "check the receiving folder on the target machine before anything is unpacked into it: a folder (not a link) "
                        + "of root's with mode 700, as mkdir made it here or, on a resume, in the attempt before (LC_ALL=C: its type in English)",
                    arguments: ["env", "LC_ALL=C", "stat", "--format=%u %a %F", "--", .value(targetStagingDir)], side: .target
                ),
                CommandTemplate(
                    purpose: "write the staging dir as a tar stream",
                    arguments: [
                        "tar", "--create", "--file", "-", "--directory", .value(stagingDir), "--numeric-owner", "--xattrs", ".",
                    ],
                    output: .pipedToNext, side: .source
                ),
                CommandTemplate(purpose: "compress the stream", arguments: ["zstd", "--quiet", "--stdout"], output: .pipedToNext, side: .source),
                CommandTemplate(
                    purpose: "unpack the stream into the staging dir on the target machine",
                    arguments: [
                        "tar", "--extract", "--zstd", "--file", "-", "--directory", .value(targetStagingDir), "--numeric-owner", "--xattrs",
                        "--same-permissions",
                    ],
                    side: .target
                ),
            ],
            undo: .nothing,
            paths: StepPaths(imageDir: stagingDir)
        )
    }

    /// Migrate over ssh: the sha256 of every staged file, computed here
    /// and checked there, before anything is applied to the target.
    func verifyStaging(after previous: StepKind) -> Step {
        Step(
            kind: .verifyStaging,
            summary: "Check the copy: the sha256 of every file in the staging dir, computed on this machine, must match the target's "
                + "(`sha256sum --check --strict`; a missing, changed or unreadable file fails the step)",
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "list the sha256 of every staged file (paths relative to the staging dir)",
                    arguments: ["env", "--chdir", .value(stagingDir), "find", ".", "-type", "f", "-exec", "sha256sum", "--", "{}", "+"],
                    output: .pipedToNext, side: .source
                ),
                CommandTemplate(
                    purpose: "check the files the target machine received against the list",
                    arguments: ["env", "--chdir", .value(targetStagingDir), "sha256sum", "--check", "--strict", "--quiet", "-"], side: .target
                ),
            ],
            undo: .nothing,
            paths: StepPaths(imageDir: stagingDir)
        )
    }

    /// `docker rm` of the target container by the id create-target bound
    /// (undo of create-target: never a container of that name crplan did not create).
    var removeTarget: CommandTemplate {
        CommandTemplate(
            purpose: "remove the target container",
            arguments: docker(["rm", "--force", "--", .value(.variable(.targetID))], on: .target), side: .target
        )
    }

    /// `cat` of the target layer's `mount-id` file: names the folder of the container's root on the target.
    var readTargetMountID: CommandTemplate {
        CommandTemplate(
            purpose: "read the target container's layer folder name",
            arguments: [
                "cat", "--",
                .value(Template(segments: targetHome.segments + [
                    .text("/image/"), .variable(.targetDriver), .text("/layerdb/mounts/"), .variable(.targetID), .text("/mount-id"),
                ])),
            ],
            output: .targetMountID, side: .target
        )
    }

    /// Over ssh: the folder that receives this run's staging dir on the
    /// target machine, resolved (not in the target's data root or a system
    /// folder) and made new (`mkdir` without `--parents`) before the freeze,
    /// so send-staging, inside the frozen window, only checks it (`stat`) and streams into it.
    var makeReceivedFolder: [CommandTemplate] {
        guard targetSSH != nil else { return [] }
        return [
            resolveStaging(targetStagingDir, homes: [targetHome], side: .target),
            CommandTemplate(
                purpose: "make the folder of staging dirs on the target machine",
                arguments: ["mkdir", "--parents", "--mode=0700", "--", .value(plan.imageDir)], side: .target
            ),
            CommandTemplate(
                purpose: "make the folder that receives this run's staging dir on the target machine (mkdir fails if it exists: a used folder is refused; "
                    + "LC_ALL=C so that it says so in English whatever the machine's locale)",
                arguments: ["env", "LC_ALL=C", "mkdir", "--mode=0700", "--", .value(targetStagingDir)], side: .target
            ),
        ]
    }

    func createTarget(after previous: StepKind) -> Step {
        Step(
            kind: .createTarget,
            summary: (targetSSH == nil ? "" : "On the target machine, make the new folder `<imageDir>/<run id>-received` that send-staging "
                + "fills, before the freeze (`mkdir` refuses one that exists; its real path must not be in the target's data root or a "
                + "system folder). ")
                + "Create the container `\(targetName)` on the target from the source's configuration (image by id, cmd, entrypoint, "
                + "env, workdir, user, labels, hostname, restart policy, capabilities, security options, ulimits, tmpfs, `--network none`); "
                + "anything else the source has (volumes and bind mounts not in `target.mounts`, other networks, devices) is refused by name",
            dependsOn: [previous],
            commands: makeReceivedFolder + [
                CommandTemplate(
                    purpose: "create the target container",
                    arguments: docker([
                        "create", "--name", .value(Template(literal: targetName)), .sourceConfiguration(mounts: plan.target?.mounts ?? []),
                        .value(.variable(.sourceImage)), .sourceCommand,
                    ], on: .target),
                    side: .target
                ),
                inspectTarget,
                readTargetMountID,
            ],
            undo: .commands([removeTarget]),
            paths: StepPaths(dockerHome: targetHome)
        )
    }

    /// `docker pause` / `docker unpause` of the source (a copy is paused from
    /// its checkpoint until its file changes are captured, so the files the
    /// target gets are those of the checkpoint's instant).
    func pauseSource(_ verb: String) -> CommandTemplate {
        CommandTemplate(
            purpose: verb == "pause" ? "pause the source so its files stay as the checkpoint saw them" : "let the source run on",
            arguments: docker([.value(Template(literal: verb)), "--", .value(.containerID)], on: .source), side: .source
        )
    }

    func migrateCheckpoint(after previous: StepKind) -> Step {
        var argv = docker(["checkpoint", "create"], on: .source)
        if isCopy { argv.append("--leave-running") }
        argv += ["--checkpoint-dir", .value(stagingDir), .value(.containerID), .value(Template(literal: checkpointName))]
        var commands = [
            resolveStaging(stagingDir, homes: stagingForbiddenHomes, side: .source),
            CommandTemplate(
                purpose: "make the folder of staging dirs", arguments: ["mkdir", "--parents", "--mode=0700", "--", .value(plan.imageDir)],
                side: .source
            ),
            CommandTemplate(
                purpose: "make this run's staging dir (mkdir fails if it exists: a used folder is refused; LC_ALL=C so that it says so in English "
                    + "whatever the locale)",
                arguments: ["env", "LC_ALL=C", "mkdir", "--mode=0700", "--", .value(stagingDir)], side: .source
            ),
        ]
        if isCopy { commands.append(pauseSource("pause")) }
        commands += [
            CommandTemplate(purpose: "checkpoint the source container with docker checkpoint create", arguments: argv, side: .source),
            CommandTemplate(
                purpose: "read the source container's state after the checkpoint (run also when it failed)",
                arguments: docker(["inspect", "--type", "container", "--", .value(.containerID)], on: .source),
                output: .containerInspect, side: .source
            ),
        ]
        return Step(
            kind: .checkpointCreate,
            summary: "Checkpoint the source container with Docker as `\(checkpointName)` into the staging dir"
                + (isCopy ? ", leaving it running but paused until its file changes are captured (a copy)" : freezeSummary),
            dependsOn: [previous],
            commands: commands,
            checks: [isCopy ? .containerRunning : .containerNotRunning, .freshStagingDir(path: stagingDir, dockerHomes: stagingForbiddenHomes)],
            undo: .commands(isCopy ? [pauseSource("unpause")] : restartSource),
            // measuredImages: the probe of an interrupted checkpoint looks for CRIU's inventory there.
            paths: StepPaths(imageDir: stagingDir, dockerHome: plan.docker.home, measuredImages: stagedCheckpoint),
            timeout: dumpTimeout
        )
    }

    /// A move's way back before the target starts: the checkpoint copied
    /// where the source engine looks for it (Docker refuses a custom
    /// checkpoint dir on start), and the source started from it.
    var restartSource: [CommandTemplate] {
        let sourceCheckpoint = Template(segments: sourceCheckpoints.segments + [.text("/" + checkpointName)])
        return [
            CommandTemplate(
                purpose: "make the source's checkpoints folder",
                arguments: ["mkdir", "--parents", "--", .value(sourceCheckpoints)], side: .source
            ),
            CommandTemplate(
                purpose: "put the checkpoint where the source engine looks for it",
                arguments: ["cp", "--archive", "--no-target-directory", "--", .value(stagedCheckpoint), .value(sourceCheckpoint)], side: .source
            ),
            CommandTemplate(
                purpose: "start the source container again from its checkpoint",
                arguments: docker(["start", "--checkpoint", .value(Template(literal: checkpointName)), "--", .value(.containerID)], on: .source),
                side: .source
            ),
        ]
    }

    func captureChanges(after previous: StepKind) -> Step {
        let changes = stagingFile("rootfs-changes.list")
        let archive = stagingFile("rootfs-diff.tar")
        return Step(
            kind: .captureChanges,
            summary: "Capture the source container's file changes as its engine's `docker diff` reports them: the added and "
                + "changed paths (`A`/`C`; crplan writes them one a line, `./path`, to the list tar reads, after the folders that "
                + "hold a deleted path and the deleted folders made again, so the target gets their owner and mode) archived from where "
                + "the container's writes are (overlay upper dir, vfs root), without recursion; the deleted ones (`D`; a "
                + "directory deleted and re-created lists the files it hid, or itself when made again) journaled for apply-changes; and the mode of "
                + "the source's root, which CRIU checks on the target"
                + (isCopy ? "; then the paused source runs on" : ""),
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "list the source's file changes as its engine reports them",
                    arguments: docker(["diff", "--", .value(.containerID)], on: .source),
                    output: .fileChanges, side: .source
                ),
                CommandTemplate(
                    purpose: "read the mode of the source's root",
                    arguments: ["stat", "--format=%a", "--", .value(.variable(.rootfsWritable))],
                    output: .rootMode, side: .source
                ),
                CommandTemplate(
                    purpose: "archive the added and changed files",
                    arguments: [
                        "tar", "--create", "--file", .value(archive), "--directory", .value(.variable(.rootfsWritable)),
                        "--numeric-owner", "--xattrs", "--no-recursion", "--verbatim-files-from", "--files-from", .value(changes),
                    ],
                    side: .source
                ),
            ] + (isCopy ? [pauseSource("unpause")] : []),
            produces: [archive],
            undo: .nothing,
            paths: StepPaths(imageDir: stagingDir, dockerHome: plan.docker.home, changeList: changes)
        )
    }

    /// `changes`: the tar of the source's changes as the target reads it
    /// (migrate: the staged `rootfs-diff.tar`; a restore: the archive's `rootfs/changes.tar`).
    func applyChanges(after previous: StepKind, changes: Template? = nil) -> Step {
        let changes = changes ?? targetStagingFile("rootfs-diff.tar")
        let root = Template(segments: [.variable(.targetRootfs)])
        return Step(
            kind: .applyChanges,
            summary: "Apply the changes to the target container's root (vfs: the root; overlay2: its upper dir, the container never ran): "
                + "remove each file the source deleted (`find` walks the root itself and never enters a link, so nothing outside the root "
                + "is touched), unpack the tar; on overlay2 also make a whiteout (`mknod … c 0 0`) for each deleted file, inside a folder "
                + "`find` found to be a real directory, and set each deleted folder the source made again opaque (`setfattr -h -n "
                + "trusted.overlay.opaque -v y`), then count them; and give the root the source root's mode (CRIU checks it; the vfs "
                + "engine creates roots 0700)",
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "remove the files the source deleted from the target's root",
                    arguments: ["find", "-P", .deletedPaths(root: root), "-prune", "-exec", "rm", "-rf", "--", "{}", "+"],
                    side: .target
                ),
                CommandTemplate(
                    purpose: "unpack the added and changed files into the target's root",
                    arguments: [
                        "tar", "--extract", "--file", .value(changes), "--directory", .value(.variable(.targetRootfs)),
                        "--numeric-owner", "--xattrs", "--same-permissions",
                    ],
                    side: .target
                ),
                CommandTemplate(
                    purpose: "overlay2 target: set the deleted folders the source made again opaque (they hide the image's contents)",
                    arguments: [
                        "find", "-P", .overlayDeletions(.opaque, root: root),
                        "-exec", "setfattr", "-h", "-n", "trusted.overlay.opaque", "-v", "y", "--", "{}", "+",
                    ],
                    side: .target
                ),
                CommandTemplate(
                    purpose: "overlay2 target: make a whiteout for each file the source deleted (hides the image's copy)",
                    arguments: ["find", "-P", .overlayDeletions(.whiteouts, root: root)],
                    side: .target
                ),
                CommandTemplate(
                    purpose: "overlay2 target: count the whiteouts and opaque folders made",
                    arguments: ["find", "-P", .overlayDeletions(.check, root: root), "-printf", "x"],
                    output: .overlayDeletionCount, side: .target
                ),
                CommandTemplate(
                    purpose: "give the target's root the source root's mode (CRIU checks it)",
                    arguments: ["chmod", .value(.variable(.sourceRootMode)), "--", .value(.variable(.targetRootfs))], side: .target
                ),
            ],
            inputs: [targetSSH == nil ? changes : stagingFile("rootfs-diff.tar")],
            undo: .nothing,
            paths: StepPaths(imageDir: targetStagingDir, dockerHome: plan.target?.docker.home)
        )
    }

    /// `source`: the checkpoint folder as the target reads it (migrate: the
    /// staged one; a restore: the archive's `checkpoint/`).
    func copyCheckpoint(after previous: StepKind, from source: Template? = nil) -> Step {
        let source = source ?? targetStagingFile(checkpointName)
        let destination = Template(segments: targetCheckpoints.segments + [.text("/" + checkpointName)])
        return Step(
            kind: .copyCheckpoint,
            summary: "Copy the checkpoint where the target engine looks for it (it refuses a custom checkpoint dir on start)",
            dependsOn: [previous],
            commands: [
                CommandTemplate(purpose: "make the target's checkpoints folder", arguments: ["mkdir", "--parents", "--", .value(targetCheckpoints)], side: .target),
                CommandTemplate(
                    purpose: "copy the checkpoint to the target",
                    arguments: [
                        "cp", "--archive", "--no-target-directory", "--", .value(source), .value(destination),
                    ],
                    side: .target
                ),
            ],
            undo: .nothing,
            paths: StepPaths(imageDir: targetStagingDir, dockerHome: plan.target?.docker.home)
        )
    }

    func startTarget(after previous: StepKind) -> Step {
        Step(
            kind: .startTarget,
            summary: "Start `\(targetName)` on the target from checkpoint `\(checkpointName)`",
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "start the target container from its checkpoint",
                    arguments: docker(["start", "--checkpoint", .value(Template(literal: checkpointName)), "--", .value(.variable(.targetID))], on: .target),
                    side: .target
                ),
                inspectTargetByID,
            ],
            checks: [.containerRunning],
            undo: .irreversible("the workload runs on the target; crplan never stops it, so the way on is forward (resume)"),
            pointOfNoReturn: true,
            paths: StepPaths(dockerHome: plan.target?.docker.home),
            timeout: restoreTimeout
        )
    }

    func verifyMigration(after previous: StepKind) -> Step {
        Step(
            kind: .verifyMigration,
            summary: "Check that the target runs the container's command and that the source is "
                + (isCopy ? "still running (a copy)" : "stopped (a move)"),
            dependsOn: [previous],
            commands: [
                inspectTargetByID,
                CommandTemplate(
                    purpose: "read the source container's state",
                    arguments: docker(["inspect", "--type", "container", "--", .value(.containerID)], on: .source),
                    output: .containerInspect, side: .source
                ),
            ],
            undo: .nothing,
            paths: StepPaths(dockerHome: plan.docker.home)
        )
    }

    func finalizeSource(after previous: StepKind) -> Step {
        Step(
            kind: .finalizeSource,
            summary: "Remove the stopped source container (`target.source: remove`); its image stays",
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "remove the source container",
                    arguments: docker(["rm", "--", .value(.containerID)], on: .source), side: .source
                ),
            ],
            undo: .irreversible("the source container was removed; the workload runs on the target")
        )
    }
}
