import Testing
@testable import CRPlanCore

/// The source's deletions as an overlay2 target's upper dir needs them:
/// whiteouts made only inside real directories `find` walked to, opaque
/// folders for deleted folders made again, and the count checked after.
@Suite struct OverlayDeletionsTests {
    static let root = "/var/lib/t/overlay2/m2/diff"

    @Test func aFolderMadeAgainIsOpaqueTheRestAreWhiteouts() throws {
        // What an engine's native overlay diff printed before Docker 18.06 (moby#37313): the opaque folder as deleted, its new file as added.
        let overlay = try DeletedPaths.changes(dockerDiff: "A /added.txt\nC /data\nD /data/old.txt\nD /dir\nA /dir/b.txt\n")
        #expect(OverlayDeletions.recreated(overlay) == ["dir"])
        #expect(OverlayDeletions.whiteouts(deleted: overlay.deleted, recreated: ["dir"]) == ["data/old.txt"])
        // What Docker's naive diff prints (vfs, and overlay2 since 18.06; seen on 20.10.24 here): the folder changed, each file it held deleted.
        let vfs = try DeletedPaths.changes(dockerDiff: "C /dir\nD /dir/a.txt\nA /dir/b.txt\nD /x/y/z\n")
        #expect(OverlayDeletions.recreated(vfs).isEmpty)
        #expect(OverlayDeletions.expectedCount(deleted: vfs.deleted, recreated: []) == 2)
    }

    @Test func aFolderReCreatedEmptyIsCarriedWithItsModeAndTheFilesItHidAreWhiteouts() throws {
        // docker diff on the overlay2 engine here (Docker 20.10.24) after `rm -rf /again && mkdir /again`
        // (the image's /again held x.txt and sub/), and `rm -rf /again2 && mkdir -m 0750 /again2`:
        // never `D /again` alone, the folder is `C` and what it hid is `D`.
        let changes = try DeletedPaths.changes(dockerDiff: "C /again\nD /again/sub\nD /again/x.txt\nC /again2\nD /again2/z.txt\n")
        #expect(OverlayDeletions.recreated(changes).isEmpty)
        #expect(OverlayDeletions.archiveList(changes) == ["again", "again2"], "the folders go in the tar (owner, mode), without recursion")
        #expect(OverlayDeletions.whiteouts(deleted: changes.deleted, recreated: []) == ["again/sub", "again/x.txt", "again2/z.txt"])
    }

    @Test func theTarListHoldsEveryParentOfADeletedPathFirst() throws {
        let changes = try DeletedPaths.changes(dockerDiff: "C /dir\nD /dir/a.txt\nA /dir/b.txt\nD /x/y/z\nD /top\nD /re\nA /re/n\n")
        #expect(OverlayDeletions.archiveList(changes) == ["dir", "re", "x", "x/y", "dir/b.txt", "re/n"])
    }

    @Test func eachWhiteoutIsMadeInsideARealDirectoryOnly() throws {
        let root = Self.root
        let arguments = try OverlayDeletions.whiteoutArguments(root: root, deleted: ["a b/c*", "top"], recreated: [])
        #expect(arguments == [
            root,
            "(", "-path", root + "/a b", "-type", "d", "-exec", "mknod", "-m", "000", "{}/c*", "c", "0", "0", ";", ")",
            ",",
            "(", "-path", root, "-type", "d", "-exec", "mknod", "-m", "000", "{}/top", "c", "0", "0", ";", ")",
        ])
        #expect(try OverlayDeletions.whiteoutArguments(root: root, deleted: ["d"], recreated: ["d"]) == [root, "-maxdepth", "0", "-false"])
    }

    @Test(arguments: ["a/{}", "../etc/passwd", "a//b", "/abs"])
    func hostileDeletedPathsAreRefused(_ path: String) {
        #expect(throws: MigrationRefusal.self) { try OverlayDeletions.whiteoutArguments(root: Self.root, deleted: [path], recreated: []) }
    }

    @Test func opaqueFoldersAndTheCountSelectRealDirectoriesAndDevices() throws {
        let root = Self.root
        #expect(try OverlayDeletions.opaqueArguments(root: root, recreated: ["dir"]) == [
            root, "-mindepth", "1", "(", "-path", root + "/dir", ")", "-type", "d",
        ])
        #expect(try OverlayDeletions.checkArguments(root: root, deleted: ["a", "dir"], recreated: ["dir"]) == [
            root, "-mindepth", "1", "(", "(", "-path", root + "/a", "-type", "c", ")", "-o", "(", "-path", root + "/dir", "-type", "d", ")", ")",
        ])
        #expect(try OverlayDeletions.checkArguments(root: root, deleted: [], recreated: []) == [root, "-maxdepth", "0", "-false"])
    }

    @Test func theBindingExpandsOnlyForAnOverlay2Target() throws {
        let root = Template(segments: [.variable(.targetRootfs)])
        let command = CommandTemplate(purpose: "make whiteouts", arguments: ["find", "-P", .overlayDeletions(.whiteouts, root: root)], side: .target)
        var facts = ContainerFacts(
            id: String(repeating: "ab", count: 32), name: "c", pid: 1, running: false, status: "exited", driver: "vfs",
            graphDriverData: [:], hostnamePath: "", hostsPath: "", resolvConfPath: "", rootfs: "/r", cgroupMounts: [], dockerHome: "/var/lib/docker"
        )
        facts.deletedPaths = ["etc/old"]
        facts.recreatedPaths = []
        facts.target = TargetContainer(id: String(repeating: "ef", count: 32), driver: "overlay2", mountID: "m2", rootfs: Self.root)
        #expect(try command.bound(to: facts).literalArgv == ["find", "-P", Self.root,
            "(", "-path", Self.root + "/etc", "-type", "d", "-exec", "mknod", "-m", "000", "{}/old",
            "c", "0", "0", ";", ")"])
        facts.target?.driver = "vfs"
        #expect(try command.bound(to: facts).literalArgv == ["find", "-P", Self.root, "-maxdepth", "0", "-false"])
        #expect(try command.bound(to: nil).literalArgv == nil, "symbolic until the facts are bound")
    }
}

/// Deleted paths are split and escaped on bytes, not on grapheme clusters
/// (`"/\u{301}"` and `"*\u{301}"` are one Character each).
@Suite struct OverlayDeletionsBytesTests {
    static let root = "/var/lib/t/overlay2/m2/diff"

    @Test func aCombiningMarkAfterASlashDoesNotHideTheParent() throws {
        let root = Self.root
        let arguments = try OverlayDeletions.whiteoutArguments(root: root, deleted: ["d/l/\u{301}x"], recreated: [])
        #expect(arguments[3].utf8.elementsEqual((root + "/d/l").utf8))
        #expect(arguments[10].utf8.elementsEqual("{}/\u{301}x".utf8))
        #expect(OverlayDeletions.parents(of: ["d/l/\u{301}x"]) == ["d", "d/l"])
    }

    @Test func aWildcardFollowedByACombiningMarkIsEscaped() {
        #expect(DeletedPaths.escapePattern("a*\u{301}?\u{301}").utf8.elementsEqual("a\\*\u{301}\\?\u{301}".utf8))
    }

    @Test(arguments: ["x{}\u{301}", "d/../\u{301}x", "d/.\u{301}/../\u{301}x"])
    func hiddenBracesAndDotsAreRefused(_ path: String) {
        #expect(throws: MigrationRefusal.self) { try OverlayDeletions.whiteoutArguments(root: Self.root, deleted: [path], recreated: []) }
    }
}
