import Foundation
@testable import CRPlanCore

/// A migration's fake world: the source container (overlay2, with its
/// configuration, as the inspect step decodes it) and a target engine
/// answering on `targetSocket` (its `docker info`, container inspect by
/// name or id, image inspect, create, rm, start --checkpoint), plus the
/// plain programs the migrate steps run (find, tar, chmod, cp, cat, mkdir).
enum MigrationFake {
    static let sourceSocket = "unix:///var/run/docker.sock"
    static let targetSocket = "unix:///run/crplan-e2e/vfs.sock"
    static let targetHome = "/var/lib/crplan-e2e/vfs"
    static let targetID = String(repeating: "ef", count: 32)
    static let mountID = "7a6b"
    static let image = "sha256:" + String(repeating: "5e", count: 32)

    /// The target engine's state, kept in the world's files so handlers can change it.
    struct Target: Codable {
        var created = false
        var running = false
        var hasImage = false
        var failStart = false
        /// crplan "dies" right after `docker create` printed the id and it was journaled.
        var crashAfterCreate = false
    }

    static let stateFile = "/fake-target-engine.json"

    static func target(_ world: FakeWorld) -> Target {
        world.files[stateFile].flatMap { try? JSONDecoder().decode(Target.self, from: Data($0)) } ?? Target()
    }

    static func setTarget(_ world: inout FakeWorld, _ change: (inout Target) -> Void) {
        var state = target(world)
        change(&state)
        world.files[stateFile] = Array((try? JSONEncoder().encode(state)) ?? Data())
    }

    static func configuration() -> SourceConfiguration? {
        let json = """
            [{"Image": "\(image)", "Config": {"Cmd": ["/bin/sh", "-c", "i=0; while true; do echo $i; i=$((i+1)); sleep 1; done"]},
              "HostConfig": {"NetworkMode": "none"}, "Mounts": []}]
            """
        return try? SourceConfiguration(inspectJSON: Array(json.utf8))
    }

    /// The world: `base` (a running overlay2 container) given a configuration and the migrate handlers.
    static func world(_ base: FakeWorld, containerID: String, targetHasImage: Bool = false, failStart: Bool = false) -> FakeWorld {
        var world = base
        world.containers[containerID]?.facts.configuration = configuration()
        setTarget(&world) {
            $0.hasImage = targetHasImage
            $0.failStart = failStart
        }
        world.handlers = targetHandlers() + world.handlers + sourceHandlers()
        return world
    }

    /// The facts a bound dry run of a finished migration shows: the source's, its configuration, the target's container, no deletion.
    static func finishedFacts(_ facts: ContainerFacts) -> ContainerFacts {
        var result = facts
        result.configuration = configuration()
        result.target = TargetContainer(id: targetID, driver: "vfs", mountID: mountID, rootfs: targetHome + "/vfs/dir/" + mountID)
        result.deletedPaths = []
        result.rootMode = "755"
        return result
    }

    static func onTarget(_ argv: [String], _ words: String...) -> Bool {
        guard argv.first?.hasSuffix("docker") == true, argv.count > 3, argv[1] == "-H", argv[2] == targetSocket else { return false }
        return Array(argv.dropFirst(3).prefix(words.count)) == words
    }

    static func onSource(_ argv: [String], _ words: String...) -> Bool {
        guard argv.first?.hasSuffix("docker") == true, argv.count > 3, argv[1] == "-H", argv[2] == sourceSocket else { return false }
        return Array(argv.dropFirst(3).prefix(words.count)) == words
    }

    static let ok = CommandResult(status: .exited(0))
    static func noSuch(_ what: String) -> CommandResult {
        CommandResult(status: .exited(1), standardError: "Error: No such \(what)")
    }

    static func targetHandlers() -> [FakeWorld.CommandHandler] {
        [
            .init(name: "target docker info", matches: { onTarget($0, "info") }) { _, _ in
                CommandResult(status: .exited(0), standardOutput: "true\n")
            },
            .init(name: "target docker inspect", matches: { onTarget($0, "inspect", "--type", "container") }) { world, _ in
                let state = target(world)
                guard state.created else { return noSuch("container") }
                let json = """
                    [{"Id": "\(targetID)", "State": {"Running": \(state.running), "Pid": \(state.running ? 6100 : 0), \
                    "Status": "\(state.running ? "running" : "created")"}, "GraphDriver": {"Name": "vfs", "Data": null}, \
                    "Path": "/bin/sh", "Args": ["-c", "i=0; while true; do echo $i; i=$((i+1)); sleep 1; done"]}]
                    """
                return CommandResult(status: .exited(0), standardOutput: json)
            },
            .init(name: "target docker image inspect", matches: { onTarget($0, "image", "inspect") }) { world, _ in
                target(world).hasImage ? CommandResult(status: .exited(0), standardOutput: image + "\n") : noSuch("image")
            },
            .init(name: "target docker load", matches: { onTarget($0, "load") }) { world, _ in
                setTarget(&world) { $0.hasImage = true }
                return ok
            },
            .init(name: "target docker create", matches: { onTarget($0, "create") }) { world, _ in
                if target(world).crashAfterCreate {
                    // The id's progress record is the next side effect, the target's inspect the one after.
                    world.crashAtSideEffect = world.sideEffects + 2
                }
                setTarget(&world) {
                    $0.created = true
                    $0.crashAfterCreate = false
                }
                return CommandResult(status: .exited(0), standardOutput: targetID + "\n")
            },
            .init(name: "target docker rm", matches: { onTarget($0, "rm") }) { world, _ in
                setTarget(&world) {
                    $0.created = false
                    $0.running = false
                }
                return ok
            },
            .init(name: "target docker start", matches: { onTarget($0, "start", "--checkpoint") }) { world, _ in
                if target(world).failStart { return CommandResult(status: .exited(1), standardError: "Error response from daemon: criu failed") }
                setTarget(&world) { $0.running = true }
                return ok
            },
            .init(name: "target cat mount-id", matches: { $0.first == "cat" && ($0.last?.hasSuffix("/mount-id") ?? false) }) { _, _ in
                CommandResult(status: .exited(0), standardOutput: mountID + "\n")
            },
        ]
    }

    static func sourceHandlers() -> [FakeWorld.CommandHandler] {
        [
            .init(name: "docker save", matches: { onSource($0, "save") }) { _, _ in ok },
            .init(name: "docker diff", matches: { onSource($0, "diff") }) { _, _ in
                CommandResult(status: .exited(0), standardOutput: "A /foo\n")
            },
            .init(name: "docker pause", matches: { onSource($0, "pause") || onSource($0, "unpause") }) { _, _ in ok },
            .init(name: "docker checkpoint create", matches: { onSource($0, "checkpoint", "create") }) { world, invocation in
                guard let index = invocation.argv.firstIndex(of: "--checkpoint-dir"), invocation.argv.count > index + 2 else { return ok }
                let id = invocation.argv[index + 2]
                world.write(invocation.argv[index + 1] + "/" + (invocation.argv.last ?? "") + "/inventory.img", "inventory")
                if !invocation.argv.contains("--leave-running") { world.containerInitDied(id, noticedAfterInspects: 0) }
                return ok
            },
            .init(name: "docker start (source)", matches: { onSource($0, "start", "--checkpoint") }) { world, invocation in
                guard let id = invocation.argv.last, var container = world.containers[id] else { return CommandResult(status: .exited(1)) }
                container.facts.running = true
                container.facts.status = "running"
                world.containers[id] = container
                return ok
            },
            .init(name: "rm", matches: { $0.first == "rm" }) { world, invocation in
                // `rm --recursive --force -- TREE` (write-archive's layout of an earlier attempt) removes the tree.
                guard invocation.argv.contains("--recursive"), let dash = invocation.argv.firstIndex(of: "--") else { return ok }
                for path in invocation.argv[(dash + 1)...] {
                    let inside = { (key: String) in key == path || key.hasPrefix(path + "/") }
                    world.files = world.files.filter { !inside($0.key) }
                    world.fileModes = world.fileModes.filter { !inside($0.key) }
                    world.directories = world.directories.filter { !inside($0.key) }
                }
                return ok
            },
            .init(name: "uname", matches: { $0.first == "uname" }) { _, _ in CommandResult(status: .exited(0), standardOutput: "6.1.0-test\n") },
            .init(name: "versions", matches: { $0.contains("version") && $0.contains("--format") || $0.last == "--version" }) { _, invocation in
                CommandResult(status: .exited(0), standardOutput: invocation.argv.last == "--version" ? "Version: 4.1.1\n" : "20.10.24\n")
            },
            .init(name: "realpath (no links)", matches: { $0.first == "realpath" }) { _, invocation in
                let paths = invocation.argv.drop { $0 != "--" }.dropFirst()
                return CommandResult(status: .exited(0), standardOutput: paths.map { $0 + "\n" }.joined())
            },
            .init(name: "stat", matches: { $0.first == "stat" }) { _, _ in CommandResult(status: .exited(0), standardOutput: "755\n") },
            .init(name: "stat of a folder crplan made", matches: { $0.starts(with: ["env", "LC_ALL=C", "stat"]) }) { _, _ in
                CommandResult(status: .exited(0), standardOutput: "0 700 directory\n")
            },
                        .init(name: "plain programs", matches: { ["find", "tar", "chmod", "cp", "mkdir", "zstd", "gzip", "sha256sum", "env"].contains($0.first ?? "") }) { world, invocation in
                if invocation.argv.first == "tar", let index = invocation.argv.firstIndex(of: "--create"), invocation.argv[index + 1] == "--file" {
                    world.write(invocation.argv[index + 2], "tar")
                }
                // write-archive: `zstd … -o FILE -` makes FILE; `find ROOT -type f -exec sha256sum` hashes what is there
                if invocation.argv.first == "zstd", let index = invocation.argv.firstIndex(of: "-o") {
                    world.write(invocation.argv[index + 1], "archive")
                }
                if invocation.argv.first == "find", invocation.argv.contains("sha256sum"), invocation.argv.count > 1 {
                    let root = invocation.argv[1] + "/"
                    let lines = world.files.keys.filter { $0.hasPrefix(root) }.sorted().map {
                        ArchiveDigest.hex(world.files[$0] ?? []) + "  " + $0 + "\n"
                    }
                    return CommandResult(status: .exited(0), standardOutput: lines.joined())
                }
                if invocation.argv.first == "mkdir" || invocation.argv.starts(with: ["env", "LC_ALL=C", "mkdir"]) {
                    let paths = invocation.argv.firstIndex(of: "--").map { Array(invocation.argv[($0 + 1)...]) } ?? invocation.argv.last.map { [$0] } ?? []
                    // Without --parents, mkdir refuses a folder that exists (the staging dir must be new).
                    if !invocation.argv.contains("--parents"), let path = paths.first(where: { world.fileType($0) != nil }) {
                        return CommandResult(status: .exited(1), standardError: "mkdir: cannot create directory '\(path)': File exists\n")
                    }
                    for path in paths {
                        world.makeParent(of: path + "/x")
                    }
                }
                return ok
            },
        ]
    }
}
