/// The rules for member names of a portable archive: relative, normalised
/// (no empty, `.` or `..` components, no leading or trailing `/`), no
/// control characters, under an allowed top-level folder.
public enum ArchivePath {
    /// Checks that `path` is a well-formed relative name (any folder).
    public static func validateSyntax(_ path: String, limits: ArchiveLimits = .standard) throws(ArchiveError) {
        func refuse(_ reason: String) -> ArchiveError { .invalidMemberPath(RemoteShellQuoting.display(path), reason: reason) }
        guard !path.isEmpty else { throw refuse("the name is empty") }
        guard path.utf8.count <= limits.maximumPathLength else {
            throw refuse("the name is longer than \(limits.maximumPathLength) bytes")
        }
        guard !path.hasPrefix("/") else { throw refuse("absolute names are not allowed") }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw refuse("control characters are not allowed")
        }
        guard !path.utf8.contains(UInt8(ascii: "\\")) else { throw refuse("backslashes are not allowed") }
        for component in PathBytes.components(path) {
            switch component {
            case "": throw refuse("empty components (// or a trailing /) are not allowed")
            case ".", "..": throw refuse("'.' and '..' components are not allowed")
            default:
                guard component.utf8.count <= 255 else { throw refuse("a component is longer than 255 bytes") }
            }
        }
    }

    /// Checks that `path` may name a regular file of the archive (other than
    /// the manifest): well-formed and placed as `ArchiveLayout` allows.
    public static func validateFile(_ path: String, limits: ArchiveLimits = .standard) throws(ArchiveError) {
        try validateSyntax(path, limits: limits)
        let top = String(PathBytes.components(path).first ?? "")
        if ArchiveLayout.openDirectories.contains(top), path.utf8.count > top.utf8.count + 1 { return }
        if let names = ArchiveLayout.fixedFiles[top], names.contains(path) { return }
        throw .invalidMemberPath(
            RemoteShellQuoting.display(path),
            reason: "not a member of the archive layout (checkpoint/…, stats/…, \(ArchiveLayout.rootfsChanges), \(ArchiveLayout.rootfsDeleted), \(ArchiveLayout.containerConfig), \(ArchiveLayout.containerFacts))")
    }

    /// The folders above `path`: `a/b/c` → `a`, `a/b`.
    public static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var current = ""
        let components = PathBytes.components(path, omittingEmpty: true)
        for component in components.dropLast() {
            current = current.isEmpty ? String(component) : current + "/" + component
            result.append(current)
        }
        return result
    }
}
