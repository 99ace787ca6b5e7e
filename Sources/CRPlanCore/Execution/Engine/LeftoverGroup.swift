/// What is left of an interrupted attempt's process group once its journaled
/// child (the group leader: each child runs in its own session and group,
/// whose id is its pid) has ended, and what a resume or rollback does about
/// it. A `criu` that criu forked (a restore's half-made tree, a dump helper)
/// does not get crplan's parent-death signal and can outlive a killed crplan.
///
/// Members are told apart from strangers by two facts: Linux never hands out
/// a pid that is still the id of a process group with members, and every
/// member was started no earlier than the journaled child. So a live process
/// in group `child.pid` that started at or after `child.startTime` belongs to
/// the interrupted attempt.
struct LeftoverGroup: Sendable, Hashable {
    /// What to do before the interrupted step is probed.
    enum Decision: Sendable, Hashable {
        /// Nothing of the attempt is left: probe.
        case nothingLeft
        /// Some member is running (not stopped): a criu still at work. Wait
        /// for it within the step's time limit; killing it mid-dump or
        /// mid-restore could leave a half-done job crplan cannot judge.
        case working([RunningProcess])
        /// Every member left is stopped (signal- or trace-stopped) and its
        /// leader is gone: nobody will ever continue it. Kill the group. For a
        /// dump these are criu's own helpers (the workload is in its own group,
        /// not reached by the kill); for a restore they are
        /// a half-restored tree, still in criu's group (CRIU gives the
        /// restored tasks their own group and session only as it finishes), so
        /// the probe then finds no restored workload and the restore runs again.
        case stoppedLeftovers([RunningProcess])
    }

    /// The journaled child whose group this is.
    var child: JournaledChild
    /// The group's members: live, started no earlier than the child, sorted by pid.
    var members: [RunningProcess]

    /// Keeps, of `processes` (as the host listed group `child.pid`), those
    /// that are provably the attempt's: in that group, with a known start
    /// time no earlier than the child's.
    init(child: JournaledChild, processes: [RunningProcess]) {
        self.child = child
        members = processes.filter { process in
            guard process.processGroupID == child.pid, let started = process.startTime else { return false }
            return started >= child.startTime
        }.sorted { $0.pid < $1.pid }
    }

    var decision: Decision {
        if members.isEmpty { return .nothingLeft }
        if members.allSatisfy(\.isStopped) { return .stoppedLeftovers(members) }
        return .working(members)
    }

    /// `pid 123 (T, criu restore ...), ...`: at most ten, each line bounded.
    static func describe(_ processes: [RunningProcess]) -> String {
        var parts = processes.prefix(10).map { process in
            let line = process.commandLine.joined(separator: " ")
            return "pid \(process.pid) (\(process.state ?? "?"), `\(line.prefix(120))`)"
        }
        if processes.count > 10 { parts.append("and \(processes.count - 10) more") }
        return parts.joined(separator: ", ")
    }
}
