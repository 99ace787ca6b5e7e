import Foundation
import Testing
@testable import CRPlanCore

/// The source's `docker inspect` (a real one from Docker 20.10, `docker
/// create` of the counter with most carried options) becomes the target's
/// `docker create` options; what cannot be carried is refused by name.
@Suite struct SourceConfigurationTests {
    static func fixture() throws -> [UInt8] {
        Array(try Data(contentsOf: try PlanningFixtures.fixtureURL("migrate/busybox-counter.inspect.json")))
    }

    static func edited(_ change: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var array = try #require(try JSONSerialization.jsonObject(with: Data(try fixture())) as? [[String: Any]])
        change(&array[0])
        return Array(try JSONSerialization.data(withJSONObject: array))
    }

    static func hostConfig(_ key: String, _ value: Any) throws -> [UInt8] {
        try edited { object in
            var host = object["HostConfig"] as? [String: Any] ?? [:]
            host[key] = value
            object["HostConfig"] = host
        }
    }

    @Test func carriesTheCounterConfiguration() throws {
        let configuration = try SourceConfiguration(inspectJSON: try Self.fixture())
        #expect(configuration.image == "sha256:57f7f6d06a75a0d5fbd13d4c90e41feb1f59e93b92c644bbf541646dcfea061f")
        let options = try configuration.createOptions(mounts: [])
        #expect(options.first == "--network=none")
        for expected in [
            "--env=A=1", "--workdir=/tmp", "--user=0:0", "--label=app=counter", "--label=tier=x", "--hostname=box",
            "--restart=on-failure:3", "--cap-add=CAP_SYS_PTRACE", "--cap-drop=CAP_NET_RAW", "--security-opt=no-new-privileges",
            "--ulimit=nofile=1024:2048", "--tmpfs=/run:size=1m",
        ] {
            #expect(options.contains(expected), "\(expected) missing from \(options)")
        }
        #expect(!options.contains { $0.hasPrefix("--entrypoint") })
        #expect(configuration.trailingArguments == ["sh", "-c", "i=0; while true; do echo $i >> /foo; i=$((i+1)); sleep 0.2; done"])
        #expect(options.allSatisfy { $0.hasPrefix("--") })
    }

    @Test func aLongEntrypointKeepsItsArgumentsBeforeTheCommand() throws {
        let bytes = try Self.edited { object in
            var config = object["Config"] as? [String: Any] ?? [:]
            config["Entrypoint"] = ["/bin/tini", "--"]
            object["Config"] = config
        }
        let configuration = try SourceConfiguration(inspectJSON: bytes)
        #expect(try configuration.createOptions(mounts: []).contains("--entrypoint=/bin/tini"))
        #expect(configuration.trailingArguments.prefix(2) == ["--", "sh"])
    }

    @Test(arguments: ["NetworkMode", "Privileged", "PidMode", "Links"])
    func refusesWhatCannotBeCarriedByName(key: String) throws {
        let value: Any = switch key {
        case "NetworkMode": "bridge"
        case "Privileged": true
        case "PidMode": "host"
        default: ["/db:/web/db"]
        }
        let field = "HostConfig." + key
        let configuration = try SourceConfiguration(inspectJSON: try Self.hostConfig(key, value))
        do {
            _ = try configuration.createOptions(mounts: [])
            Issue.record("\(key) was carried")
        } catch {
            guard case .cannotCarry(let named, _, _) = error else { Issue.record("\(error)"); return }
            #expect(named == field)
            #expect(error.description.contains(field))
        }
    }

    @Test func aVolumeNeedsATargetMount() throws {
        let bytes = try Self.edited { object in
            object["Mounts"] = [["Type": "volume", "Source": "/var/lib/docker/volumes/data/_data", "Destination": "/data", "RW": false]]
        }
        let configuration = try SourceConfiguration(inspectJSON: bytes)
        #expect(throws: MigrationRefusal.self) { try configuration.createOptions(mounts: []) }
        do {
            _ = try configuration.createOptions(mounts: [])
        } catch {
            #expect(error.description.contains("/data"))
            #expect(error.description.contains("target.mounts"))
        }
        let options = try configuration.createOptions(mounts: [TargetMount(destination: "/data", source: "/srv/data")])
        #expect(options.contains("--mount=type=bind,source=/srv/data,destination=/data,readonly"))
    }

    @Test func refusesMalformedOrHostileInspectOutput() throws {
        #expect(throws: MigrationRefusal.self) { try SourceConfiguration(inspectJSON: Array("not json".utf8)) }
        #expect(throws: MigrationRefusal.self) { try SourceConfiguration(inspectJSON: Array("[]".utf8)) }
        #expect(throws: MigrationRefusal.self) { try SourceConfiguration(inspectJSON: try Self.edited { $0["Image"] = "busybox:latest" }) }
        let huge = [UInt8](repeating: 0x20, count: SourceConfiguration.maximumInspectBytes + 1)
        #expect(throws: MigrationRefusal.self) { try SourceConfiguration(inspectJSON: huge) }
        let nul = try Self.edited { object in
            var config = object["Config"] as? [String: Any] ?? [:]
            config["Env"] = ["A=1\u{0}--privileged"]
            object["Config"] = config
        }
        #expect(throws: MigrationRefusal.self) { try SourceConfiguration(inspectJSON: nul).createOptions(mounts: []) }
    }
}
