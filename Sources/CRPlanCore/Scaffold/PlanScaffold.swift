/// `crplan init`: a commented plan for a container, built from what Docker
/// reported. Pure: the CLI reads Docker, this checks every value and
/// writes the YAML text line by line, each value through `YAMLScalarText`.
///
/// The volumes and bind mounts Docker lists become `extMounts` entries for
/// the operator to confirm; an entry the linter would refuse (a `:` in a
/// path, the Docker socket, ...) is written as a comment with the reason,
/// so the plan always lints clean. The whole text is linted before it is
/// returned.
public struct PlanScaffold: Sendable {
    public var operation: Plan.Operation
    public var mode: Plan.Mode
    /// `--name`; nil derives the plan name from the container's.
    public var name: String?
    /// `--docker-host`, written as `docker.host` when given.
    public var dockerHost: String?
    /// The environment the result is linted in (`${env.…}` defaults).
    public var environment: [String: String]?

    public init(
        operation: Plan.Operation = .roundtrip, mode: Plan.Mode = .external, name: String? = nil,
        dockerHost: String? = nil, environment: [String: String]? = nil
    ) {
        self.operation = operation
        self.mode = mode
        self.name = name
        self.dockerHost = dockerHost
        self.environment = environment
    }

    /// Longest path crplan copies from Docker into a plan.
    static let maximumPathLength = 4096

    public func render(_ container: ScaffoldContainer) throws(ScaffoldError) -> String {
        let checked = try check(container)
        var skipped: [Int: String] = [:]
        // Entries the linter refuses become comments; one more pass must be clean.
        for _ in 0..<2 {
            let document = write(checked, skipping: skipped)
            let result = Linter.lint(text: document.text, file: "init.yaml", environment: environment)
            if result.diagnostics.isEmpty { return document.text }
            var found = false
            for diagnostic in result.diagnostics {
                guard let line = diagnostic.location?.line,
                      let entry = document.mountLines.first(where: { $0.value.contains(line) })?.key,
                      skipped[entry] == nil else { continue }
                skipped[entry] = "crplan lint: \(diagnostic.message) [\(diagnostic.rule.rawValue)]"
                found = true
            }
            if !found { throw .lintFailed(result.diagnostics) }
        }
        let document = write(checked, skipping: skipped)
        let result = Linter.lint(text: document.text, file: "init.yaml", environment: environment)
        guard result.diagnostics.isEmpty else { throw .lintFailed(result.diagnostics) }
        return document.text
    }

    // MARK: - Checking Docker's values

    struct Checked {
        var container: ScaffoldContainer
        var planName: String
        var driver: Storage.Driver?
        /// Bind mounts and volumes whose paths passed the checks, with the
        /// reason for the others.
        var mounts: [(mount: ScaffoldContainer.Mount, skipped: String?)]
    }

    func check(_ container: ScaffoldContainer) throws(ScaffoldError) -> Checked {
        let id = Array(container.id.utf8)
        guard id.count == 64, id.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .untrustedValue(field: "the container id", value: container.id, why: "it is not 64 lowercase hex digits")
        }
        let nameBytes = Array(container.name.utf8)
        guard nameBytes.count <= 255, ContainerReference.isDockerName(nameBytes) else {
            throw .untrustedValue(field: "the container name", value: container.name, why: "it does not match Docker's `[a-zA-Z0-9][a-zA-Z0-9_.-]+`")
        }
        if let why = Self.pathProblem(container.dockerRootDir) {
            throw .untrustedValue(field: "DockerRootDir", value: container.dockerRootDir, why: why)
        }
        let planName: String
        if let name {
            if let problem = PlanNameRule.problem(with: name) { throw .invalidPlanName(name, problem: problem) }
            planName = name
        } else if PlanNameRule.problem(with: container.name) == nil {
            planName = container.name
        } else {
            planName = PlanNameRule.suggestion(for: container.name) ?? "container-" + String(container.id.prefix(12))
        }
        if operation != .restore, !container.running { throw .notRunning(container: container.name) }
        var driver: Storage.Driver?
        if mode == .external {
            guard let known = Storage.Driver(rawValue: container.driver), known != .auto else {
                if Storage.unsupportedDrivers.contains(container.driver) { throw .unsupportedDriver(container.driver) }
                throw .untrustedValue(field: "the storage driver", value: container.driver, why: "crplan knows no such driver")
            }
            driver = known
        }
        let mounts = container.mounts.map { mount -> (mount: ScaffoldContainer.Mount, skipped: String?) in
            guard mount.type == "bind" || mount.type == "volume" else {
                return (mount, "a `\(Self.typeLabel(mount.type))` mount, not a bind mount or volume: CRIU handles it, or it cannot be restored in place")
            }
            if let why = Self.pathProblem(mount.destination) { return (mount, "its path inside the container " + why) }
            if let why = Self.pathProblem(mount.source) { return (mount, "its host source " + why) }
            return (mount, nil)
        }
        return Checked(container: container, planName: planName, driver: driver, mounts: mounts)
    }

    /// Why `path` cannot go into a plan as a literal path, or nil.
    static func pathProblem(_ path: String) -> String? {
        let bytes = Array(path.utf8)
        if bytes.count > maximumPathLength { return "is longer than \(maximumPathLength) bytes" }
        if bytes.first != UInt8(ascii: "/") { return "is not an absolute path" }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "holds control characters" }
        if path.contains("${") { return "holds `${`, which a plan reads as a variable" }
        if PathPolicy.nonCanonicalOffset(path, isStart: true, isEnd: true) != nil || path.contains("/../") || path.hasSuffix("/..") {
            return "is not a normalised path (`//`, `.` or `..` segments, or a trailing `/`)"
        }
        return nil
    }

    /// Text safe in a `#` comment: anything that could end the line
    /// (control characters, Unicode line breaks) becomes `?`.
    static func commentText(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let breaks = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
            result.unicodeScalars.append(breaks ? "?" : scalar)
        }
        return result
    }

    private static func typeLabel(_ type: String) -> String {
        type.utf8.allSatisfy({ (0x61...0x7A).contains($0) }) && !type.isEmpty && type.utf8.count <= 32 ? type : "unknown"
    }

    // MARK: - Writing

    struct Document {
        var text: String
        /// For each active mount entry (by index in `Checked.mounts`), its lines (1-based).
        var mountLines: [Int: ClosedRange<Int>]
    }

    func write(_ checked: Checked, skipping skipped: [Int: String]) -> Document {
        let container = checked.container
        let q = YAMLScalarText.scalar
        var lines = [
            "# A crplan plan scaffolded by `crplan init` from the container \(container.name)",
            "# (id \(container.id.prefix(12))). Review every value, then:",
            "#   crplan lint FILE && crplan plan FILE   # the dry run prints every command",
            "# The format: Schemas/crplan-plan.v1.schema.json in crplan's repository.",
            "version: 1",
            "name: \(q(checked.planName))",
            "description: \(q("\(operation.rawValue.prefix(1).uppercased() + operation.rawValue.dropFirst()) of the container \(container.name), scaffolded by crplan init"))",
            "container: \(q(container.name))",
            "# checkpoint | restore | roundtrip",
            "operation: \(operation.rawValue)",
            "# external (CRIU directly) | native (docker checkpoint)",
            "mode: \(mode.rawValue)",
        ]
        if operation == .restore, container.running {
            lines.append("# The container runs now: a restore-only run needs it stopped, with a checkpoint in `imageDir`.")
        }
        if let driver = checked.driver {
            lines += [
                "storage:",
                "  # From docker inspect (GraphDriver.Name); `auto` would read it at run time.",
                "  driver: \(driver.rawValue)",
            ]
        }
        lines += [
            "docker:",
            "  # Docker's data root, from `docker info --format '{{.DockerRootDir}}'`.",
            "  home: \(q(container.dockerRootDir))",
        ]
        if let dockerHost {
            lines.append("  host: \(q(dockerHost))")
        }
        var mountLines: [Int: ClosedRange<Int>] = [:]
        if mode == .external {
            lines += [
                "# Mounts whose source lies outside the container, mapped for CRIU (`--ext-mount-map`).",
                "# cgroup v1 controller mounts are not listed: crplan finds them at run time",
                "# (inspect) and declares them external itself.",
                "extMounts:",
                "  # The files Docker bind-mounts into every container (crplan's default list).",
            ]
            for mount in ExternalMount.dockerManagedFiles {
                lines += ["  - path: \(q(mount.path))", "    restore: \(q(mount.restore.description))"]
            }
            if !checked.mounts.isEmpty {
                lines += [
                    "  # Volumes and bind mounts docker inspect reported: confirm each one (keep",
                    "  # it only if the workload needs it; its source must exist at restore).",
                ]
            }
            for (index, entry) in checked.mounts.enumerated() {
                let mount = entry.mount
                let label = "  # a \(Self.typeLabel(mount.type)) (docker inspect `Mounts`)"
                if let why = entry.skipped ?? skipped[index] {
                    lines += [
                        label + ", left out: " + Self.commentText(why),
                        "  #- path: \(YAMLScalarText.doubleQuoted(mount.destination))",
                        "  #  restore: \(YAMLScalarText.doubleQuoted(mount.source))",
                    ]
                } else {
                    lines.append(label + ": confirm")
                    let first = lines.count + 1
                    lines += ["  - path: \(q(mount.destination))", "    restore: \(q(mount.source))"]
                    mountLines[index] = first...(first + 1)
                }
            }
        } else if !checked.mounts.isEmpty {
            lines.append("# Native mode: Docker handles the container's \(checked.mounts.count) volume(s) and bind mount(s) itself.")
        }
        if operation != .checkpoint {
            lines += [
                "restore:",
                "  # Where the restored init's pid is written (default: ${imageDir}/restore.pid).",
                "  pidfile: \(q(RestoreSettings.defaultPidfile.description))",
            ]
        }
        return Document(text: lines.joined(separator: "\n") + "\n", mountLines: mountLines)
    }
}
