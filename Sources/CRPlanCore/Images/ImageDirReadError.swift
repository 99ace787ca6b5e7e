import CRPlanImages

/// Why reading a checkpoint's image dir failed: the host could not read a
/// file, a CRIU image was refused, or the dir is not plausibly an image dir.
public enum ImageDirReadError: Error, Sendable, Hashable, CustomStringConvertible {
    case host(HostError)
    case image(CRIUImageError)
    /// More names in the directory than crplan examines.
    case tooManyFiles(directory: String, count: Int, limit: Int)

    public var description: String {
        switch self {
        case .host(let error): error.description
        case .image(let error): error.description
        case .tooManyFiles(let directory, let count, let limit):
            "\(directory) holds \(count) entries, more than the \(limit) crplan examines; is it a checkpoint image dir?"
        }
    }
}
