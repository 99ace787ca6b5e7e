import Foundation

/// A path from the command line made absolute against the working
/// directory, without trailing slashes: journals and manifests record
/// absolute paths, and `show` finds runs by the image dir they recorded.
func absolute(_ path: String) -> String {
    var result = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
    return result
}
