import Testing
@testable import CRPlanCore

/// Member names are judged on bytes: a `/` that a combining mark follows is
/// still a separator, as the kernel and tar see it.
@Suite struct ArchivePathTests {
    @Test(arguments: ["checkpoint/../\u{301}x", "checkpoint/./\u{301}x", "checkpoint/\\\u{301}x", "checkpoint//\u{301}x"])
    func aSeparatorFollowedByACombiningMarkIsStillASeparator(_ name: String) {
        #expect(throws: ArchiveError.self) { try ArchivePath.validateFile(name) }
    }

    @Test func ancestorsSplitAtEveryByteSlash() {
        #expect(ArchivePath.ancestors(of: "checkpoint/d/\u{301}x") == ["checkpoint", "checkpoint/d"])
        #expect(PathBytes.components("a/\u{301}b").map(String.init) == ["a", "\u{301}b"])
    }
}
