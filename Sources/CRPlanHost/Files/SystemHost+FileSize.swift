import CRPlanCore

/// `FileSizeReading`, which `Host` refines.
extension SystemHost {
    public func fileSize(at path: String) async throws(HostError) -> Int? {
        let status: FileStatus?
        do {
            status = try DurableFiles.status(path)
        } catch {
            throw Self.map(error)
        }
        guard let status else { return nil }
        switch status.kind {
        case .regular: return Int(status.size)
        case .symbolicLink: throw .symbolicLink(path: path)
        case .directory, .other: throw .io(operation: "size", path: path, message: "not a regular file")
        }
    }
}
