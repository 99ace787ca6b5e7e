extension PlanReader {
    /// `operation: restore` with `archive`: Docker creates the container from
    /// the archive's configuration and starts it from the archive's
    /// checkpoint, so only native mode applies (`checkMigration` refuses
    /// `mode: external` with any archive, `archive-external`), crplan's external-mode
    /// mounts and pidfile do not, and the staging root must be known
    /// before any container facts are (open-archive makes `<imageDir>/<run id>` first).
    mutating func checkRestoreArchive(_ fields: SectionFields) {
        guard restoresArchive else { return }
        if let mounts = fields.entry(TopLevelKey.extMounts) {
            context.error(
                .restoreArchiveField, at: mounts.key.location,
                "`extMounts` cannot be used with `operation: restore` and `archive`: Docker creates the container and its mounts "
                    + "from the archive's configuration; external mounts are CRIU's own (mode external)",
                hint: "remove `extMounts`"
            )
        }
        if let pidfile = reads["restore.pidfile"] {
            context.error(
                .restoreArchiveField, at: pidfile.scalar.location,
                "`restore.pidfile` cannot be used with `operation: restore` and `archive`: the restored container is Docker's, "
                    + "which keeps its pid (`docker inspect --format {{.State.Pid}} NAME`)",
                hint: "remove `restore.pidfile`"
            )
        }
        if let imageDir = reads["imageDir"], let variable = imageDir.template.variables.first(where: \.isRuntime) {
            context.error(
                .restoreArchiveField, at: imageDir.scalar.location,
                "`imageDir` holds this run's staging dir, which a restore from an archive makes before any container is known, "
                    + "so it cannot use `${\(variable)}`",
                hint: "give it a folder of its own, e.g. `/var/lib/crplan/staging`"
            )
        }
    }
}
