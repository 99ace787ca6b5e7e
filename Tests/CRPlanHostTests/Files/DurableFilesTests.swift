import CRPlanHost
import Foundation
import SystemPackage
import Testing

@Suite("DurableFiles")
struct DurableFilesTests {
    @Test("createDirectory creates 0700 with parents, accepts an existing directory")
    func createDirectory() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("a/b/run")
        #expect(try DurableFiles.createDirectory(path))
        let status = try #require(try DurableFiles.status(path))
        #expect(status.kind == .directory)
        #expect(status.permissions == .ownerReadWriteExecute)
        #expect(try DurableFiles.status(temp.appending("a"))?.permissions == .ownerReadWriteExecute)
        #expect(try DurableFiles.createDirectory(path) == false)
    }

    @Test("createDirectory rejects a symbolic link and a file at the path")
    func createDirectoryRejectsLinkAndFile() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let real = temp.appending("real")
        try DurableFiles.createDirectory(real)
        let link = temp.appending("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(throws: FileError.symbolicLink(path: link)) { try DurableFiles.createDirectory(link) }
        #expect(throws: FileError.symbolicLink(path: link)) { try DurableFiles.openDirectory(link) }
        let file = temp.appending("file")
        try DurableFiles.writeAtomically("x", to: file)
        #expect(throws: FileError.notADirectory(path: file)) { try DurableFiles.createDirectory(file) }
        #expect(throws: FileError.notADirectory(path: file)) { try DurableFiles.openDirectory(file) }
    }

    @Test("writeAtomically writes 0600, replaces, leaves no temp file")
    func writeAtomically() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("pidfile")
        try DurableFiles.writeAtomically("123\n", to: path)
        #expect(try DurableFiles.readText(path) == "123\n")
        #expect(try DurableFiles.status(path)?.permissions == [.ownerRead, .ownerWrite])
        try DurableFiles.writeAtomically("456\n", to: path, permissions: [.ownerRead, .ownerWrite, .groupRead, .otherRead])
        #expect(try DurableFiles.readText(path) == "456\n")
        #expect(try DurableFiles.status(path)?.permissions == [.ownerRead, .ownerWrite, .groupRead, .otherRead])
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path) == ["pidfile"])
    }

    @Test("writeAtomically over a symbolic link replaces the link, not its target")
    func writeAtomicallyDoesNotFollowLink() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let victim = temp.appending("victim")
        try DurableFiles.writeAtomically("keep", to: victim)
        let link = temp.appending("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        try DurableFiles.writeAtomically("new", to: link)
        #expect(try DurableFiles.readText(victim) == "keep")
        #expect(try DurableFiles.status(link)?.kind == .regular)
    }

    @Test("append creates the file 0600 and refuses a symbolic link")
    func appendCreatesPrivateFile() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let journal = temp.appending("journal.jsonl")
        try DurableFiles.append(bytes(#"{"a":1}"# + "\n"), to: journal)
        #expect(try DurableFiles.status(journal)?.permissions == [.ownerRead, .ownerWrite])
        let link = temp.appending("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: journal)
        #expect(throws: FileError.symbolicLink(path: link)) { try DurableFiles.append(bytes("z"), to: link) }
        #expect(try DurableFiles.readText(journal) == "{\"a\":1}\n")
    }

    @Test("read enforces its limit and reports a missing file with path and errno text")
    func readErrors() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("big")
        try DurableFiles.writeAtomically([UInt8](repeating: 65, count: 100), to: path)
        #expect(throws: FileError.tooLarge(path: path, limit: 10)) { try DurableFiles.read(path, limit: 10) }
        #expect(try DurableFiles.read(path, limit: 100).count == 100)
        let missing = temp.appending("missing")
        #expect(try DurableFiles.readIfPresent(missing) == nil)
        let error = #expect(throws: FileError.self) { try DurableFiles.read(missing) }
        #expect(error?.description == "cannot open \(missing): No such file or directory (errno 2)")
        #expect(throws: FileError.notARegularFile(path: temp.path)) { try DurableFiles.read(temp.path) }
    }

    @Test("remove reports whether something was removed")
    func remove() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("f")
        try DurableFiles.writeAtomically("x", to: path)
        #expect(try DurableFiles.remove(path))
        #expect(try DurableFiles.remove(path) == false)
        #expect(try DurableFiles.status(path) == nil)
    }

    @Test("rename refuses to overwrite unless replacing")
    func rename() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let a = temp.appending("a"), b = temp.appending("b")
        try DurableFiles.writeAtomically("A", to: a)
        try DurableFiles.writeAtomically("B", to: b)
        #expect(throws: FileError.alreadyExists(path: b)) { try DurableFiles.rename(a, to: b) }
        #expect(try DurableFiles.readText(b) == "B")
        try DurableFiles.rename(a, to: b, replacing: true)
        #expect(try DurableFiles.readText(b) == "A")
        #expect(try DurableFiles.status(a) == nil)

    }

    @Test("append writes raw bytes in one durable write; truncate cuts to a length")
    func appendAndTruncate() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.appending("journal")
        try DurableFiles.append(bytes("abc"), to: path)
        try DurableFiles.append(bytes("def\n"), to: path)
        #expect(try DurableFiles.readText(path) == "abcdef\n")
        try DurableFiles.truncate(path, toLength: 2)
        #expect(try DurableFiles.readText(path) == "ab")
        #expect(throws: FileError.self) { try DurableFiles.truncate(temp.appending("missing"), toLength: 0) }
        #expect(throws: FileError.self) { try DurableFiles.append(bytes("x"), to: temp.appending("no/such/dir/file")) }
    }

    @Test("listDirectory lists names without . and .., refusing a symbolic link")
    func listDirectory() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try DurableFiles.writeAtomically("1", to: temp.appending("b"))
        try DurableFiles.createDirectory(temp.appending("a"))
        #expect(try DurableFiles.listDirectory(temp.path) == ["a", "b"])
        #expect(try DurableFiles.listDirectory(temp.appending("a")) == [])
        let link = temp.appending("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: temp.appending("a"))
        #expect(throws: FileError.symbolicLink(path: link)) { try DurableFiles.listDirectory(link) }
        let missing = #expect(throws: FileError.self) { try DurableFiles.listDirectory(temp.appending("none")) }
        #expect(missing?.errno == .noSuchFileOrDirectory)
    }
}
