extension PlanReader {
    /// `imageDir`: absolute; it cannot refer to itself, nor to values that
    /// exist only while the container runs (pid, mounted root).
    mutating func readImageDir(_ node: YAMLNode) -> Template? {
        let path = FieldPath("imageDir")
        guard let scalar = ScalarReaders.string(node, path: path, context: &context),
              let read = TemplateReader.read(scalar, path: path, context: &context) else { return nil }
        let valid = PathChecks.checkVariables(
            read, path: path, context: &context,
            allowed: { ![.imageDir, .containerPid, .containerRootfs].contains($0) },
            reason: "the image directory must be known before the container runs and after it is gone",
            hint: "build it from `${docker.home}`, `${container.id}`, `${container.name}`, `${plan.name}` or `${env.NAME}`"
        )
        let before = context.diagnostics.count
        PathChecks.checkAbsolute(read, path: path, context: &context)
        checkWritten(scalar, path: path, kind: .writtenPath)
        if valid, context.noErrors(since: before) { reads[path.text] = read }
        return valid ? read.template : nil
    }
}
