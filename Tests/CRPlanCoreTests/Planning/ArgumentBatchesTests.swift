import Foundation
import Testing
@testable import CRPlanCore

/// Lists of `find` clauses split into commands short enough for a remote
/// shell and the kernel: every clause kept once and in order, each batch
/// under the bound, and a new batch only when the next clause would not fit.
@Suite struct ArgumentBatchesTests {
    @Test(arguments: ["", "a", "it's", "''", "with space", "ü/ß", "{}/x*", "\\"])
    func theCostIsWhatTheArgumentTakesInARemoteCommandLine(_ argument: String) throws {
        #expect(ArgumentBatches.cost(argument) == (try RemoteShellQuoting.quote(argument)).utf8.count + 1)
    }

    /// A deterministic generator (no clock, no system randomness): the same lists every run.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func batchesKeepEveryClauseInOrderAndStayUnderTheBound(_ seed: UInt64) throws {
        var generator = Generator(state: seed)
        let limit = 120 + generator.next(400)  // above the costliest clause below (105 bytes)
        let clauses = (0..<generator.next(300)).map { index in
            (0..<(1 + generator.next(3))).map { _ in String(repeating: index % 5 == 0 ? "'" : "a", count: generator.next(9)) }
        }
        let joiner = seed % 2 == 0 ? "-o" : ","
        let groups = try ArgumentBatches.split(clauses, joiner: joiner, limit: limit)
        let cost = { (group: [[String]]) in ArgumentBatches.joined(group, joiner: joiner).reduce(0) { $0 + ArgumentBatches.cost($1) } }
        #expect(groups.flatMap { $0 } == clauses, "a clause was lost, repeated or moved")
        #expect(groups.allSatisfy { !$0.isEmpty })
        for group in groups { #expect(cost(group) <= limit) }
        // Greedy: the next group's first clause would not have fit in the one before.
        for (earlier, later) in zip(groups, groups.dropFirst()) {
            #expect(cost(earlier + [later[0]]) > limit, "a batch was closed early")
        }
    }

    @Test func noClausesAreNoBatchesAndAClauseTooLongAloneIsRefused() throws {
        #expect(try ArgumentBatches.split([], joiner: "-o", limit: 10).isEmpty)
        #expect(try ArgumentBatches.split([["a"], ["b"]], joiner: "-o", limit: 8) == [[["a"]], [["b"]]])
        #expect(try ArgumentBatches.split([["a"], ["b"]], joiner: "-o", limit: 14) == [[["a"], ["b"]]])
        #expect(throws: ArgumentBatchError.self) { try ArgumentBatches.split([["a"], [String(repeating: "x", count: 20)]], limit: 10) }
    }

    static let root = "/var/lib/t/overlay2/m2/diff"

    @Test func deletedPathsAreRemovedInBatchesThatSelectEachPathOnce() throws {
        let paths = (0..<4000).map { "data/some-folder-with-a-long-name/file-\($0).txt" }
        let batches = try DeletedPaths.findBatches(root: Self.root, paths: paths)
        #expect(batches.count > 1)
        for batch in batches {
            #expect(Array(batch.prefix(4)) == [Self.root, "-mindepth", "1", "("])
            #expect(batch.last == ")")
            let line = try RemoteShellQuoting.commandLine(["find", "-P"] + batch + ["-prune", "-exec", "rm", "-rf", "--", "{}", "+"])
            #expect(line.utf8.count <= RemoteShellQuoting.maximumLineLength)
        }
        let selected = batches.flatMap { batch in batch.indices.filter { batch[$0] == "-path" }.map { batch[$0 + 1] } }
        #expect(selected == paths.map { Self.root + "/" + $0 })
        #expect(try DeletedPaths.findBatches(root: Self.root, paths: Array(paths.prefix(3))) == [DeletedPaths.findArguments(root: Self.root, paths: Array(paths.prefix(3)))])
    }

    @Test func whiteoutsOpaqueFoldersAndTheirCountAreBatchedAlike() throws {
        let deleted = (0..<3000).map { "etc/many/old-\($0)" } + (0..<500).map { "again-\($0)" }
        let recreated = (0..<500).map { "again-\($0)" }
        let whiteouts = try OverlayDeletions.whiteoutBatches(root: Self.root, deleted: deleted, recreated: recreated)
        let opaque = try OverlayDeletions.opaqueBatches(root: Self.root, recreated: recreated, limit: 4096)
        let check = try OverlayDeletions.checkBatches(root: Self.root, deleted: deleted, recreated: recreated)
        #expect(whiteouts.count > 1 && opaque.count > 1 && check.count > 1)
        for batch in whiteouts + opaque + check {
            #expect(batch.first == Self.root)
            #expect(try RemoteShellQuoting.commandLine(["find", "-P"] + batch + ["-printf", "x"]).utf8.count <= RemoteShellQuoting.maximumLineLength)
        }
        #expect(whiteouts.flatMap { $0.filter { $0.hasPrefix("{}/") } } == (0..<3000).map { "{}/old-\($0)" })
        #expect(opaque.flatMap { $0.filter { $0.hasPrefix(Self.root + "/") } } == recreated.map { Self.root + "/" + $0 })
        // Each whiteout and opaque folder is selected by exactly one batch: the counts add up.
        let counted = check.flatMap { $0.filter { $0.hasPrefix(Self.root + "/") } }
        #expect(counted.count == OverlayDeletions.expectedCount(deleted: deleted, recreated: recreated))
        #expect(Set(counted).count == counted.count)
    }
}

/// The binding puts one command per batch in the step, so the dry run with
/// facts and the run show and run the same commands.
@Suite struct ArgumentBatchesBindingTests {
    @Test func aStepBindsOneCommandPerBatchAndTheSingleCommandBindingRefusesMore() throws {
        let root = Template(segments: [.variable(.targetRootfs)])
        let command = CommandTemplate(
            purpose: "remove", arguments: ["find", "-P", .deletedPaths(root: root), "-prune", "-exec", "rm", "-rf", "--", "{}", "+"], side: .target)
        var facts = PlanningFixtures.migrationFacts
        facts.target = TargetContainer(id: String(repeating: "ef", count: 32), driver: "overlay2", mountID: "m2", rootfs: ArgumentBatchesTests.root)
        facts.deletedPaths = (0..<4000).map { "data/some-folder-with-a-long-name/file-\($0).txt" }
        let commands = try command.boundBatches(to: facts)
        let batches = try DeletedPaths.findBatches(root: ArgumentBatchesTests.root, paths: facts.deletedPaths ?? [])
        #expect(commands.map(\.literalArgv) == batches.map { ["find", "-P"] + $0 + ["-prune", "-exec", "rm", "-rf", "--", "{}", "+"] })
        #expect(throws: BindingError.self) { try command.bound(to: facts) }
        facts.deletedPaths = ["a"]
        #expect(try command.boundBatches(to: facts) == [try command.bound(to: facts)])
        #expect(try command.boundBatches(to: nil) == [try command.bound(to: nil)], "symbolic: one command")
    }

    @Test func theApplyChangesStepOfAGraphIsBatchedTheSameWayByTheDryRunAndTheRun() throws {
        let plan = try MigratePlanningTests.plan()
        let graph = try MigratePlanningTests.compile(plan)
        var facts = PlanningFixtures.migrationFacts
        facts.target = TargetContainer(id: String(repeating: "ef", count: 32), driver: "overlay2", mountID: "m2", rootfs: "/var/lib/other/overlay2/m2/diff")
        facts.deletedPaths = (0..<3000).map { "var/cache/some-package/file-\($0)" }
        facts.recreatedPaths = []
        facts.rootMode = "755"
        let step = try #require(graph.step(.applyChanges)).bound(to: facts)
        #expect(try graph.bound(to: facts).step(.applyChanges) == step, "plan --inspect binds as the run does")
        let counts = step.commands.filter { $0.output == .overlayDeletionCount }
        #expect(counts.count > 1)
        let root = "/var/lib/other/overlay2/m2/diff"
        let deleted = facts.deletedPaths ?? []
        // no folder made again: the opaque-folder find selects nothing and is not spawned
        let expected = try DeletedPaths.findBatches(root: root, paths: deleted).count + 1
            + OverlayDeletions.whiteoutBatches(root: root, deleted: deleted, recreated: []).count
            + OverlayDeletions.checkBatches(root: root, deleted: deleted, recreated: []).count + 1
        #expect(step.commands.count == expected, "rm, whiteouts and the count in batches; tar and chmod once")
        for command in step.commands {
            let argv = try #require(command.literalArgv)
            #expect(try RemoteShellQuoting.commandLine(argv).utf8.count <= RemoteShellQuoting.maximumLineLength)
        }
    }
}
