/// The one way crplan picks a free name for something it moves aside (an
/// earlier checkpoint, a stale criu pidfile, a finished run's journal): it
/// never overwrites and never deletes, so it counts up until a name is free.
enum AsideName {
    /// `<base><suffix>`, else `<base>-2<suffix>`, `<base>-3<suffix>`, … : the first that does not exist.
    static func free(base: String, suffix: String = "", host: any Host) async throws(HostError) -> String {
        var candidate = base + suffix
        var counter = 2
        while try await host.fileType(at: candidate) != nil {
            candidate = "\(base)-\(counter)\(suffix)"
            counter += 1
        }
        return candidate
    }

    /// `<path>.<label>-<stamp>` (or `<path>.<stamp>` without a label), made free as above.
    static func free(for path: String, label: String, stamp: String, host: any Host) async throws(HostError) -> String {
        try await free(base: label.isEmpty ? "\(path).\(stamp)" : "\(path).\(label)-\(stamp)", host: host)
    }
}
