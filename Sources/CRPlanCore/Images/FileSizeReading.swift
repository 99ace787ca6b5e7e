/// A host that can tell a file's length without reading it: what the image
/// dir readers need to size `pages-*.img` files and to refuse an oversized
/// image before reading it.
///
/// `Host` refines it, so every host (`SystemHost`, the test double) can
/// size files; the executor measures a checkpoint after its steps with it.
public protocol FileSizeReading: Sendable {
    /// The length in bytes of the regular file at `path` (lstat, never
    /// following a final symbolic link), or nil if nothing is there.
    /// Throws `.io` for anything but a regular file.
    func fileSize(at path: String) async throws(HostError) -> Int?
}
