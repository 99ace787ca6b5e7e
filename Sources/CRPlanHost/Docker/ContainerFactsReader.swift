import CRPlanCore
import Glibc
import SystemPackage

/// Turns what Docker says about a container (`docker inspect`) and what the
/// kernel says (the init's and crplan's mountinfo) into `ContainerFacts`:
/// the root file system CRIU gets as `--root`, and the cgroup mounts it must
/// be told are external. Docker does not report a root for every driver, so:
/// - overlay / overlay2: `GraphDriver.Data.MergedDir`;
/// - vfs: `<home>/vfs/dir/<mount-id>`, the mount id read from
///   `<home>/image/vfs/layerdb/mounts/<container-id>/mount-id`, and checked
///   against the container init's root mount when it runs;
/// - aufs: `<home>/aufs/mnt/<mount-id>` likewise, with the branch list
///   `<home>/aufs/diff/<mount-id>=rw` then `<home>/aufs/diff/<layer>=ro+wh`
///   for each layer listed in `<home>/aufs/layers/<mount-id>` (how Docker's
///   aufs driver mounts it; not tested against a real aufs host);
/// - any other driver: an empty rootfs (the inspect step refuses it).
public struct ContainerFactsReader: Sendable {
    /// Docker's data root (`/var/lib/docker`), without a trailing `/`.
    public var dockerHome: String
    /// Where procfs is mounted (a fixture tree in tests).
    public var proc: ProcFS

    public init(dockerHome: String, procRoot: String = "/proc") {
        var home = dockerHome
        while home.count > 1, home.hasSuffix("/") { home.removeLast() }
        self.dockerHome = home
        self.proc = ProcFS(root: procRoot)
    }

    /// Facts for `inspect`, reading the running init's mountinfo (and
    /// crplan's own) from procfs. A container that is not running gets no
    /// cgroup mounts: its facts serve a restore, which uses the saved ones.
    ///
    /// Every value Docker reported is validated (`ContainerFacts.validate`)
    /// before any of it is used, and a running container's pid must belong
    /// to it (`checkPidOwnership`) before its /proc entries are read.
    public func read(_ inspect: DockerContainerInspect) throws(ContainerFactsError) -> ContainerFacts {
        try validateReported(inspect)
        guard inspect.state.running else {
            return try facts(from: inspect, containerMounts: nil, hostMounts: nil)
        }
        let pid = Int32(clamping: inspect.state.pid)
        try checkPidOwnership(pid: pid, containerID: inspect.id)
        let containerMounts: MountTable
        let hostMounts: MountTable
        do {
            containerMounts = try MountTable.read(pid: pid, procRoot: proc.root)
            hostMounts = try MountTable.read(pid: nil, procRoot: proc.root)
        } catch {
            if case .file(let file) = error, file.errno == .noSuchFileOrDirectory || file.errno == .noSuchProcess {
                throw .initGone(pid: inspect.state.pid)
            }
            throw .mountInfo(error)
        }
        let ownNamespace = proc.namespace(nil, "cgroup")
        let initNamespace = proc.namespace(pid, "cgroup")
        return try facts(
            from: inspect, containerMounts: containerMounts, hostMounts: hostMounts,
            sharesCgroupNamespace: ownNamespace == nil || ownNamespace == initNamespace)
    }

    /// Facts from already-read inputs (pure except for reading the driver's
    /// mount-id and layer files under `dockerHome`).
    /// - Parameters:
    ///   - containerMounts: the init's mountinfo, nil when it does not run.
    ///   - hostMounts: crplan's own mountinfo.
    ///   - sharesCgroupNamespace: false when the init has its own cgroup
    ///     namespace; its cgroup roots are then relative to that namespace
    ///     and cannot be mapped to host directories (refused).
    public func facts(
        from inspect: DockerContainerInspect, containerMounts: MountTable?, hostMounts: MountTable?,
        sharesCgroupNamespace: Bool = true
    ) throws(ContainerFactsError) -> ContainerFacts {
        try validateReported(inspect)
        let driver = inspect.graphDriver.name
        let data = inspect.graphDriver.data ?? [:]
        var rootfs = ""
        var branches: [String] = []
        switch driver {
        case "overlay", "overlay2":
            guard let merged = data["MergedDir"], !merged.isEmpty else {
                throw .missingGraphDriverData(driver: driver, key: "MergedDir")
            }
            rootfs = merged
        case "vfs":
            rootfs = "\(dockerHome)/vfs/dir/\(try mountID(driver: "vfs", containerID: inspect.id))"
            try checkRootMount(rootfs, containerMounts: containerMounts, hostMounts: hostMounts)
        case "aufs":
            let mount = try mountID(driver: "aufs", containerID: inspect.id)
            rootfs = "\(dockerHome)/aufs/mnt/\(mount)"
            branches = try aufsBranches(mountID: mount)
        default:
            rootfs = data["MergedDir"] ?? ""
        }

        var cgroupMounts: [CgroupMount] = []
        if let containerMounts, let hostMounts {
            let hasCgroups = containerMounts.entries.contains(where: \.isCgroup)
            if hasCgroups, !sharesCgroupNamespace { throw .privateCgroupNamespace(pid: inspect.state.pid) }
            do {
                cgroupMounts = try containerMounts.cgroupMounts(host: hostMounts)
            } catch {
                throw .mountInfo(error)
            }
        }

        let facts = ContainerFacts(
            id: inspect.id,
            name: inspect.plainName,
            pid: inspect.state.pid,
            running: inspect.state.running,
            status: inspect.state.status,
            driver: driver,
            graphDriverData: data,
            hostnamePath: inspect.hostnamePath,
            hostsPath: inspect.hostsPath,
            resolvConfPath: inspect.resolvConfPath,
            rootfs: rootfs,
            cgroupMounts: cgroupMounts,
            aufsBranches: branches,
            dockerHome: dockerHome
        )
        // Derived values too: the rootfs, the cgroup mounts, the aufs branches.
        do {
            try facts.validate(dockerHome: dockerHome)
        } catch {
            throw .invalid(error)
        }
        return facts
    }

    /// Validates what Docker reported, before anything is derived from it
    /// (the layer store is read by container id, /proc by pid).
    func validateReported(_ inspect: DockerContainerInspect) throws(ContainerFactsError) {
        let reported = ContainerFacts(
            id: inspect.id, name: inspect.plainName, pid: inspect.state.pid, running: inspect.state.running,
            status: inspect.state.status, driver: inspect.graphDriver.name,
            graphDriverData: inspect.graphDriver.data ?? [:], hostnamePath: inspect.hostnamePath,
            hostsPath: inspect.hostsPath, resolvConfPath: inspect.resolvConfPath, rootfs: "", cgroupMounts: [],
            dockerHome: dockerHome)
        do throws(FactsValidationError) {
            try ContainerFacts.validateID(inspect.id)
        } catch {
            throw .invalid(error)
        }
        // A wrong docker.home is said better with the home Docker uses.
        try checkDockerHome(inspect)
        do throws(FactsValidationError) {
            try reported.validate(dockerHome: dockerHome)
        } catch {
            throw .invalid(error)
        }
    }

    /// A running container's init must be a process of that container:
    /// `/proc/<pid>/cgroup` names the container id, and it is neither
    /// crplan itself nor one of its ancestors (crplan would dump or stop
    /// its own parent). Reads procfs; `selfPid` is crplan's pid.
    public func checkPidOwnership(
        pid: Int32, containerID: String, selfPid: Int32 = getpid()
    ) throws(ContainerFactsError) {
        var ancestor: Int32? = selfPid
        var seen = 0
        while let current = ancestor, current > 0, seen < 4096 {
            if current == pid { throw .pidIsCrplanOrAncestor(pid: Int(pid)) }
            ancestor = (try? proc.parentPid(current)) ?? nil
            seen += 1
        }
        let path = "\(proc.root)/\(pid)/cgroup"
        let text: String
        do {
            text = try DurableFiles.readText(path, limit: 1 << 20)
        } catch {
            if error.errno == .noSuchFileOrDirectory || error.errno == .noSuchProcess {
                throw .initGone(pid: Int(pid))
            }
            throw .cgroupUnreadable(path: path, error: error)
        }
        // `hierarchy:controllers:path`; the path names the container's cgroup
        // (`/docker/<id>`, `/system.slice/docker-<id>.scope`, ...).
        let named = text.split(separator: "\n").contains { line in
            line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).last?.contains(containerID) ?? false
        }
        guard named else { throw .pidNotInContainer(pid: Int(pid), id: containerID, cgroups: text) }
    }

    /// The mount id of the container's read-write layer, from the layer store.
    public func mountID(driver: String, containerID: String) throws(ContainerFactsError) -> String {
        let path = "\(dockerHome)/image/\(driver)/layerdb/mounts/\(containerID)/mount-id"
        let text: String
        do {
            text = try DurableFiles.readText(path, limit: 4096)
        } catch {
            throw .mountIDUnreadable(path: path, error: error)
        }
        let id = String(text.trimmingSpaces)
        guard !id.isEmpty, !id.contains("/"), id != ".", id != ".." else {
            throw .mountIDUnreadable(path: path, error: .notARegularFile(path: path))
        }
        return id
    }

    /// The aufs branch list Docker mounts, top (read-write) first.
    public func aufsBranches(mountID: String) throws(ContainerFactsError) -> [String] {
        let layersPath = "\(dockerHome)/aufs/layers/\(mountID)"
        let text: String
        do {
            text = try DurableFiles.readText(layersPath, limit: 1 << 20)
        } catch {
            throw .mountIDUnreadable(path: layersPath, error: error)
        }
        let parents = text.split(separator: "\n").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        return ["\(dockerHome)/aufs/diff/\(mountID)=rw"] + parents.map { "\(dockerHome)/aufs/diff/\($0)=ro+wh" }
    }

    /// Docker's own paths name its data root: a different one means crplan
    /// was pointed at the wrong `docker.home` and every derived path would be wrong.
    func checkDockerHome(_ inspect: DockerContainerInspect) throws(ContainerFactsError) {
        let containerDir = "\(dockerHome)/containers/\(inspect.id)/"
        let marker = "/containers/\(inspect.id)/"
        for path in [inspect.hostnamePath, inspect.hostsPath, inspect.resolvConfPath]
        where !path.isEmpty && !path.hasPrefix(containerDir) {
            // Only a path that names another data root says so; any other is refused by `validate`.
            if let range = path.firstRange(of: marker) {
                throw .dockerHomeMismatch(configured: dockerHome, reported: String(path[..<range.lowerBound]))
            }
        }
    }

    /// For a running vfs container the init's root mount must show the directory we derived.
    func checkRootMount(
        _ rootfs: String, containerMounts: MountTable?, hostMounts: MountTable?
    ) throws(ContainerFactsError) {
        guard let root = containerMounts?.rootMount, let hostMounts, let seen = hostMounts.hostPath(of: root) else {
            return
        }
        guard MountTable.normalize(seen) == MountTable.normalize(rootfs) else {
            throw .rootMismatch(derived: rootfs, mounted: seen)
        }
    }
}

/// Why the facts of a container could not be put together.
public enum ContainerFactsError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingGraphDriverData(driver: String, key: String)
    case mountIDUnreadable(path: String, error: FileError)
    case dockerHomeMismatch(configured: String, reported: String)
    case rootMismatch(derived: String, mounted: String)
    case privateCgroupNamespace(pid: Int)
    case initGone(pid: Int)
    case mountInfo(MountInfoError)
    /// A value Docker reported (or one derived from it) that crplan refuses to use.
    case invalid(FactsValidationError)
    /// `State.Pid` is crplan's own pid or one of its ancestors.
    case pidIsCrplanOrAncestor(pid: Int)
    /// `/proc/<pid>/cgroup` does not name the container.
    case pidNotInContainer(pid: Int, id: String, cgroups: String)
    case cgroupUnreadable(path: String, error: FileError)

    public var description: String {
        switch self {
        case .missingGraphDriverData(let driver, let key):
            "docker inspect reports the \(driver) driver but no GraphDriver.Data.\(key)"
        case .mountIDUnreadable(let path, let error):
            "cannot read the container's layer mount id (\(error)); is docker.home right? (looked at \(path))"
        case .dockerHomeMismatch(let configured, let reported):
            "docker.home is \(configured) but Docker keeps this container's files under \(reported): set docker.home to \(reported)"
        case .rootMismatch(let derived, let mounted):
            "the container's root should be \(derived) (from the layer store) but its init has \(mounted) mounted as /"
        case .privateCgroupNamespace(let pid):
            "the container's init (pid \(pid)) has its own cgroup namespace: its cgroup mounts cannot be mapped to "
                + "host directories (crplan supports cgroup v1 hosts where Docker shares the host cgroup namespace)"
        case .initGone(let pid):
            "the container's init (pid \(pid)) exited while crplan was reading its mounts"
        case .mountInfo(let error):
            error.description
        case .invalid(let error):
            error.description
        case .pidIsCrplanOrAncestor(let pid):
            "State.Pid \(pid) is crplan itself or one of its parent processes, not a container's init; "
                + "check `docker inspect` of the container; crplan refuses to act on it as root"
        case .pidNotInContainer(let pid, let id, let cgroups):
            "State.Pid \(pid) does not belong to container \(id): its /proc/\(pid)/cgroup does not name the container ("
                + cgroups.split(separator: "\n").prefix(3).joined(separator: "; ")
                + "); check `docker inspect` of the container; crplan refuses to act on it as root"
        case .cgroupUnreadable(let path, let error):
            "cannot read \(path) to check that the pid belongs to the container: \(error)"
        }
    }
}
