/// Why an archive is refused (or could not be made). Every case about a
/// member names it, so the operator knows which file is corrupt.
public enum ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidManifest(String)
    case unsupportedVersion(Int, supported: Int)
    case missingManifest
    case invalidMemberPath(String, reason: String)
    case duplicateMember(String)
    case forbiddenMemberType(String, type: String)
    case unlistedMember(String)
    case missingMember(String)
    case sizeMismatch(String, expected: Int64, actual: Int64)
    case checksumMismatch(String, expected: String, actual: String)
    case invalidTarHeader(offset: Int64, reason: String)
    case truncated(member: String?, offset: Int64)
    case trailingData(offset: Int64)
    case limitExceeded(String)
    case readFailed(String)
    case writeFailed(String)

    public var description: String {
        switch self {
        case .invalidManifest(let reason):
            "archive manifest (\(ArchiveLayout.manifest)) is invalid: \(reason)"
        case .unsupportedVersion(let version, let supported):
            "archive format version \(version) is not supported (this crplan reads version \(supported)); use a matching crplan"
        case .missingManifest:
            "the archive has no \(ArchiveLayout.manifest): not a crplan archive, or truncated"
        case .invalidMemberPath(let path, let reason):
            "archive member \"\(path)\" is refused: \(reason)"
        case .duplicateMember(let path):
            "archive member \(path) appears more than once; the archive was tampered with"
        case .forbiddenMemberType(let path, let type):
            "archive member \(path) is a \(type); only regular files and folders are allowed"
        case .unlistedMember(let path):
            "archive member \(path) is not listed in the manifest; the archive was tampered with"
        case .missingMember(let path):
            "archive member \(path) is listed in the manifest but missing; the archive is truncated or was tampered with"
        case .sizeMismatch(let path, let expected, let actual):
            "archive member \(path) has \(actual) bytes, the manifest says \(expected); the archive is corrupt or was tampered with"
        case .checksumMismatch(let path, let expected, let actual):
            "archive member \(path) has sha256 \(actual), the manifest says \(expected); the archive is corrupt or was tampered with"
        case .invalidTarHeader(let offset, let reason):
            "the archive is corrupt: bad tar header at byte \(offset): \(reason)"
        case .truncated(let member, let offset):
            "the archive is truncated at byte \(offset)" + (member.map { " (in member \($0))" } ?? "")
        case .trailingData(let offset):
            "the archive has unexpected data after its end at byte \(offset); it is corrupt or was tampered with"
        case .limitExceeded(let what):
            "the archive exceeds a limit: \(what)"
        case .readFailed(let reason):
            "cannot read the archive: \(reason)"
        case .writeFailed(let reason):
            "cannot write: \(reason)"
        }
    }
}
