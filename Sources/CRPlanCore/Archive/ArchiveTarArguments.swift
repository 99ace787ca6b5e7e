/// GNU tar's options for reading an untrusted archive, defined once for
/// `crplan import` (`ArchiveReader`) and `open-archive`.
public enum ArchiveTarArguments {
    /// `--list` with one C-escaped line per member, owners as numbers and full times (what `TarListing` parses).
    public static let list = ["--list", "--verbose", "--numeric-owner", "--full-time", "--quoting-style=c"]
    /// What follows `--extract --file=… --directory=…`: never the archive's owners or modes, never over an
    /// existing file, no ACLs, xattrs or SELinux labels, names as stored.
    public static let extractOptions = [
        "--no-same-owner", "--no-same-permissions", "--keep-old-files", "--no-acls", "--no-xattrs", "--no-selinux", "--no-unquote",
    ]
}
