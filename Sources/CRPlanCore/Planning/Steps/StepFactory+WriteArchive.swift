extension StepFactory {
    /// The archive's members are laid out here, beside this run's staging dir (so a send over ssh never carries
    /// them): hard links into the staging dir, plus the files crplan writes.
    var archiveTree: Template { Template(segments: stagingDir.segments + [.text("-archive")]) }

    /// Migrate with `archive`: the portable archive, after capture-changes
    /// (source side, this machine). Its members are laid out in
    /// `<staging dir>-archive` — the checkpoint and the changes tar as hard
    /// links, the configuration, facts and deleted list written by crplan —
    /// hashed by `sha256sum`, listed in `manifest.json`, packed by `tar |
    /// zstd` into `<archive>.partial`, which is renamed to the archive
    /// (never replacing a file). The versions in the manifest come from the
    /// facts (check-target asked them before the freeze). Never undone: the
    /// archive is the operator's copy of the checkpoint.
    func writeArchive(_ archive: Template, after previous: StepKind) -> Step {
        let tree = archiveTree
        func inTree(_ name: String) -> Template { Template(segments: tree.segments + [.text("/" + name)]) }
        let partial = Template(segments: archive.segments + [.text(".partial")])
        return Step(
            kind: .writeArchive,
            summary: "Keep the portable archive at \(archive): the checkpoint, the file changes, the source's configuration and "
                + "facts (deleted paths and root mode included) and a manifest of every file's size and sha256, "
                + "packed by `tar | zstd` into a new file (an existing one is never replaced; a rollback never removes it)",
            dependsOn: [previous],
            commands: [
                CommandTemplate(
                    purpose: "remove the archive layout of an earlier attempt", arguments: ["rm", "--recursive", "--force", "--", .value(tree)],
                    side: .source
                ),
                CommandTemplate(
                    purpose: "make the archive layout",
                    arguments: ["mkdir", "--mode=0700", "--", .value(tree), .value(inTree("rootfs")), .value(inTree("container"))],
                    side: .source
                ),
                CommandTemplate(
                    purpose: "link the checkpoint into the archive layout",
                    arguments: ["cp", "--recursive", "--link", "--no-dereference", "--", .value(stagedCheckpoint), .value(inTree("checkpoint"))],
                    side: .source
                ),
                CommandTemplate(
                    purpose: "link the file changes into the archive layout",
                    arguments: ["cp", "--link", "--no-dereference", "--", .value(stagingFile("rootfs-diff.tar")), .value(inTree("rootfs/changes.tar"))],
                    side: .source
                ),
                CommandTemplate(
                    purpose: "hash every member of the archive",
                    arguments: ["find", .value(tree), "-type", "f", "-exec", "sha256sum", "--", "{}", "+"],
                    output: .fileDigests, side: .source
                ),
                CommandTemplate(
                    purpose: "pack the members, manifest first",
                    arguments: [
                        "tar", "--create", "--file=-", .value(Template(segments: [.text("--directory=")] + tree.segments)), "--format=posix",
                        "--pax-option=delete=atime,delete=ctime", "--numeric-owner", "--owner=0", "--group=0", "--mode=u=rwX,go=",
                        "--sort=name", "--no-acls", "--no-xattrs", "--no-selinux", "--", "manifest.json", "checkpoint", "container", "rootfs",
                    ],
                    output: .pipedToNext, side: .source
                ),
                CommandTemplate(
                    purpose: "compress them into a new file beside the archive",
                    arguments: ["zstd", "--quiet", "-T0", "-o", .value(partial), "-"], side: .source
                ),
            ],
            produces: [archive],
            undo: .nothing,
            paths: StepPaths(imageDir: stagingDir, archive: archive, archiveTree: tree)
        )
    }
}
