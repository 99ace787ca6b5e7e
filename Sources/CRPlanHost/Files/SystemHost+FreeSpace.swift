import CRPlanCore
import Glibc

/// `Host.availableBytes(at:)` for the local machine: statvfs.
extension SystemHost {
    public func availableBytes(at path: String) async throws(HostError) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else {
            throw .io(operation: "statvfs", path: path, message: String(cString: strerror(errno)))
        }
        let (bytes, overflow) = Int64(clamping: info.f_bavail).multipliedReportingOverflow(by: Int64(clamping: info.f_frsize))
        return overflow ? Int64.max : bytes
    }
}
