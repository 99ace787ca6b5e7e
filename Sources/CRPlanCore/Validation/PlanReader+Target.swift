extension PlanReader {
    /// `target` (operation migrate): the target engine's docker settings,
    /// the container's name there, the image and source policies and how
    /// each volume or bind mount is provided on the target.
    mutating func readTarget(_ node: YAMLNode) -> MigrationTarget? {
        let path = FieldPath("target")
        guard let fields = SectionFields.read(node, path: path, keys: TargetKey.self, context: &context) else { return nil }
        var valid = true
        var docker: DockerSettings?
        if let dockerNode = fields.require(TargetKey.docker, example: "{host: unix:///run/other.sock, home: /var/lib/other}", context: &context) {
            docker = readDocker(dockerNode, path: path.child("docker"))
            valid = valid && docker != nil
        } else {
            valid = false
        }
        var name: String?
        if let nameNode = fields.value(TargetKey.name), let scalar = ScalarReaders.string(nameNode, path: path.child("name"), context: &context) {
            if ContainerReference.isDockerName(Array(scalar.value.utf8)) {
                name = scalar.value
            } else {
                context.error(
                    .invalidContainer, at: scalar.location,
                    "`target.name` must be a Docker container name (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`); found `\(shown(scalar.value))`",
                    hint: "remove it to keep the source container's name"
                )
                valid = false
            }
        } else if fields.value(TargetKey.name) != nil {
            valid = false
        }
        var image = MigrationTarget.ImagePolicy.transfer
        if let imageNode = fields.value(TargetKey.image) {
            if let choice = ScalarReaders.choice(imageNode, path: path.child("image"), as: MigrationTarget.ImagePolicy.self, context: &context) {
                image = choice.value
            } else {
                valid = false
            }
        }
        var source = MigrationTarget.SourcePolicy.keep
        if let sourceNode = fields.value(TargetKey.source) {
            if let choice = ScalarReaders.choice(sourceNode, path: path.child("source"), as: MigrationTarget.SourcePolicy.self, context: &context) {
                source = choice.value
            } else {
                valid = false
            }
        }
        var mounts: [TargetMount] = []
        if let mountsNode = fields.value(TargetKey.mounts) {
            if let read = readTargetMounts(mountsNode, path: path.child("mounts")) {
                mounts = read
            } else {
                valid = false
            }
        }
        var ssh: SSHSettings?
        if let sshNode = fields.value(TargetKey.ssh) {
            ssh = readSSH(sshNode, path: path.child("ssh"))
            valid = valid && ssh != nil
        }
        guard valid, let docker else { return nil }
        return MigrationTarget(docker: docker, name: name, image: image, source: source, mounts: mounts, ssh: ssh)
    }

    /// `target.mounts`: each a mount point in the container and the absolute host path backing it on the target.
    private mutating func readTargetMounts(_ node: YAMLNode, path: FieldPath) -> [TargetMount]? {
        guard case .sequence(let sequence) = node else {
            context.error(
                .wrongType, at: node.location, "`\(path)` must be a list of mounts, found \(ScalarReaders.describe(node))",
                hint: "list entries `- {destination: /data, source: /srv/data}`"
            )
            return nil
        }
        var mounts: [TargetMount] = []
        var valid = true
        for (index, item) in sequence.items.enumerated() {
            let itemPath = path.index(index)
            guard let fields = SectionFields.read(item, path: itemPath, keys: TargetMountKey.self, context: &context) else {
                valid = false
                continue
            }
            let destination = fields.require(TargetMountKey.destination, example: "/data", context: &context)
                .flatMap { readAbsoluteLiteral($0, path: itemPath.child("destination")) }
            let sourceNode = fields.require(TargetMountKey.source, example: "/srv/data", context: &context)
            let source = sourceNode.flatMap { readAbsoluteLiteral($0, path: itemPath.child("source")) }
            guard let destination, let source, let sourceNode else {
                valid = false
                continue
            }
            // The same rule as `extMounts[].restore`: the target container must not get the target host.
            if let reason = PathPolicy.mountSourceProblem(source, complete: true) {
                context.error(
                    .unsafeExtMount, at: sourceNode.location,
                    "`\(itemPath.child("source"))` must not be `\(shown(source))`: \(reason)",
                    hint: "bind only the data the container had mounted, e.g. `/srv/data`"
                )
                valid = false
                continue
            }
            if mounts.contains(where: { $0.destination == destination }) {
                context.error(
                    .duplicateExtMount, at: item.location, "mount point `\(shown(destination))` is listed twice in `\(path)`",
                    hint: "keep one entry"
                )
                valid = false
                continue
            }
            mounts.append(TargetMount(destination: destination, source: source))
        }
        return valid ? mounts : nil
    }

    /// `archive` (migrate, checkpoint): an absolute, canonical, literal path without control characters.
    mutating func readArchive(_ node: YAMLNode) -> String? {
        let path = FieldPath("archive")
        guard let scalar = ScalarReaders.string(node, path: path, context: &context) else { return nil }
        if let problem = CommandValueChecks.controlCharacterProblem(scalar.value, subject: "`\(path)`") {
            report(problem, in: scalar)
            return nil
        }
        guard PathChecks.checkLiteralAbsolute(scalar, path: path, isHostPath: true, context: &context), checkCanonical(scalar, path: path) else { return nil }
        return scalar.value
    }

    /// An absolute, canonical path without control characters or `,`/`:` (docker's `--mount` separators).
    private mutating func readAbsoluteLiteral(_ node: YAMLNode, path: FieldPath) -> String? {
        guard let scalar = ScalarReaders.string(node, path: path, context: &context) else { return nil }
        if let problem = CommandValueChecks.controlCharacterProblem(scalar.value, subject: "`\(path)`") {
            report(problem, in: scalar)
            return nil
        }
        guard PathChecks.checkLiteralAbsolute(scalar, path: path, context: &context),
              checkCanonical(scalar, path: path),
              checkMountSeparators(scalar, path: path) else { return nil }
        return scalar.value
    }

    /// The checks between `operation`, `mode`, `target` and `archive`.
    mutating func checkMigration(_ fields: SectionFields, modeWritten: YAMLScalar?) {
        if !Plan.keepsArchive(operation), operation != .restore, let entry = fields.entry(TopLevelKey.archive) {
            context.error(
                .notSupportedYet, at: entry.key.location,
                "`archive` with `operation: \(operation.rawValue)` is not supported yet: `operation: migrate` and `operation: checkpoint` keep "
                    + "a portable archive and `operation: restore` starts a container from one",
                hint: "remove `archive`; `crplan export` / `crplan import` move a checkpoint as an archive"
            )
        } else if operation != .migrate, mode == .external, let scalar = modeWritten, fields.entry(TopLevelKey.archive) != nil {
            // migrate says the same under its own rule (`migrate-external`).
            context.error(
                .archiveExternal, at: scalar.location,
                "`archive` needs `mode: native`: the archive is restored by `docker start --checkpoint` on the other engine, "
                    + "which starts only from Docker's own checkpoint (runc's descriptors, Docker's checkpoint layout), not from an external dump",
                hint: "write `mode: native` or remove `mode` (native is the default with `archive`)"
            )
        }
        if operation == .migrate {
            if mode == .external, let scalar = modeWritten {
                context.error(
                    .migrateExternal, at: scalar.location,
                    "`operation: migrate` needs `mode: native`: an external dump lacks what Docker's runtime needs to start the target container from it "
                        + "(runc's descriptors, Docker's checkpoint layout), so the target engine could not run it",
                    hint: "write `mode: native` or remove `mode` (native is the default for migrate)"
                )
            }
            _ = fields.require(TopLevelKey.target, example: "{docker: {host: unix:///run/other.sock, home: /var/lib/other}}", context: &context)
        } else if let entry = fields.entry(TopLevelKey.target) {
            context.error(
                .targetWithoutMigrate, at: entry.key.location,
                "`target` applies only to `operation: migrate`; this plan's operation is `\(operation.rawValue)`",
                hint: "write `operation: migrate`, or remove `target`"
            )
        }
    }
}
