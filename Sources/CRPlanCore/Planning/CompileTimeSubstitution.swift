/// Substitutes the variables known when a plan is compiled: `${env.*}`,
/// `${plan.name}`, `${docker.home}` and `${imageDir}`. Runtime variables
/// (`${container.*}`, the internal `${rootfs.*}`) stay symbolic.
///
/// `${env.NAME:-default}` takes the default when NAME is unset or empty,
/// as the shell does; `${env.NAME}` takes NAME's value, which must be set.
struct CompileTimeSubstitution {
    let environment: [String: String]
    let planName: String
    /// Nil while `docker.home` itself is being resolved.
    var dockerHome: Template?
    /// Nil while `imageDir` itself (or anything before it) is being resolved.
    var imageDir: Template?

    /// `template` with every compile-time variable replaced.
    func resolve(_ template: Template, field: String, runtimeAllowed: Bool = true) throws(PlanningError) -> Template {
        var segments: [Template.Segment] = []
        for segment in template.segments {
            guard case .variable(let variable) = segment else {
                segments.append(segment)
                continue
            }
            switch variable {
            case .environment(let name, let fallback):
                if let value = environment[name], !(value.isEmpty && fallback != nil) {
                    guard !value.contains("${") else { throw .environmentValueHasVariable(name: name, field: field) }
                    segments.append(.text(value))
                } else if let fallback {
                    segments += try resolve(fallback, field: field, runtimeAllowed: runtimeAllowed).segments
                } else {
                    throw .unsetEnvironment(name: name, field: field)
                }
            case .planName:
                segments.append(.text(planName))
            case .dockerHome:
                guard let dockerHome else { throw .cyclicVariable(variable, field: field) }
                segments += dockerHome.segments
            case .imageDir:
                guard let imageDir else { throw .cyclicVariable(variable, field: field) }
                guard runtimeAllowed || !imageDir.hasRuntimeVariables else {
                    throw .runtimeValueNotAllowed(imageDir.variables.first { $0.isRuntime } ?? variable, field: field)
                }
                segments += imageDir.segments
            case .containerID, .containerName, .containerPid, .containerDir, .containerRootfs,
                 .rootfsLowerDir, .rootfsUpperDir, .rootfsWorkDir, .rootfsBranches, .rootfsWritable, .sourceImage, .targetID, .targetDriver, .targetRootfs, .sourceRootMode, .runID,
                 .archiveUnpackBound:
                guard runtimeAllowed else { throw .runtimeValueNotAllowed(variable, field: field) }
                segments.append(segment)
            }
        }
        return Template(segments: segments)
    }

    /// Resolves a path and checks it is still absolute and free of `..`.
    func resolvePath(_ template: Template, field: String, runtimeAllowed: Bool = true) throws(PlanningError) -> Template {
        let resolved = try resolve(template, field: field, runtimeAllowed: runtimeAllowed)
        try Self.checkPath(resolved, field: field)
        return resolved
    }

    /// Resolves a value that becomes one argument (a binary, a host) and
    /// must not read as an option.
    func resolveArgument(_ template: Template, field: String) throws(PlanningError) -> Template {
        let resolved = try resolve(template, field: field, runtimeAllowed: false)
        let text = resolved.description
        guard !text.isEmpty else { throw .emptyValue(field: field) }
        guard !text.hasPrefix("-") else { throw .optionLikeValue(field: field, value: text) }
        return resolved
    }

    static func checkPath(_ path: Template, field: String) throws(PlanningError) {
        guard let first = path.segments.first else { throw .emptyValue(field: field) }
        let absolute: Bool
        switch first {
        case .text(let text): absolute = text.hasPrefix("/")
        // Docker gives these as absolute paths.
        case .variable(let variable): absolute = variable == .containerDir || variable == .containerRootfs
        }
        guard absolute else { throw .notAbsolutePath(field: field, value: path.description) }
        // A variable stands for a name that is never `..` on its own.
        let shape = path.segments.map { segment -> String in
            if case .text(let text) = segment { text } else { "v" }
        }.joined()
        if PathBytes.components(shape).contains("..") {
            throw .parentSegment(field: field, value: path.description)
        }
    }
}
