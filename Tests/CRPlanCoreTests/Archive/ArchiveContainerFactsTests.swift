import Foundation
import Testing
@testable import CRPlanCore

/// An archive's configuration and facts are written by whoever made the
/// archive: what they may ask of this host is narrower than a migration's
/// (attack review s4: F1 capabilities and security options, F2 a bare
/// variable name, F4 a set-id root mode).
@Suite struct ArchiveContainerFactsTests {
    static func decode(rootMode: String = "755", _ change: (inout SourceConfiguration) -> Void = { _ in }) throws -> ContainerFacts {
        var configuration = try #require(MigrationFake.configuration())
        change(&configuration)
        var facts = MigrationFake.finishedFacts(Scenario.facts())
        facts.rootMode = rootMode
        facts.configuration = configuration
        facts.deletedPaths = []
        facts.recreatedPaths = []
        let encoder = JSONEncoder()
        return try ArchiveContainerFacts.decode(
            facts: Array(try encoder.encode(facts)), config: Array(try encoder.encode(configuration)), deleted: Array("[]".utf8),
            runID: "20261130T000000Z-0000")
    }

    static func refusal(rootMode: String = "755", _ change: (inout SourceConfiguration) -> Void = { _ in }) -> String? {
        do {
            _ = try decode(rootMode: rootMode, change)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func theUnchangedConfigurationIsAccepted() throws {
        let facts = try Self.decode()
        #expect(facts.runID == "20261130T000000Z-0000")
        #expect(Self.refusal { $0.securityOptions = ["no-new-privileges"] } == nil, "no-new-privileges only narrows")
    }

    @Test(arguments: ["ALL", "SYS_ADMIN", "NET_ADMIN"])
    func anAddedCapabilityIsRefused(_ capability: String) {
        let refusal = Self.refusal { $0.capAdd = [capability] }
        #expect(refusal?.contains("HostConfig.CapAdd") == true, "\(refusal ?? "accepted")")
        #expect(refusal?.contains(capability) == true)
    }

    @Test(arguments: ["seccomp=unconfined", "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "apparmor=unconfined", "label=disable",
                      "label=type:spc_t", "systempaths=unconfined", "no-new-privileges=false"])
    func aSecurityOptionOtherThanNoNewPrivilegesIsRefused(_ option: String) {
        let refusal = Self.refusal { $0.securityOptions = [option] }
        #expect(refusal?.contains("HostConfig.SecurityOpt") == true, "\(option): \(refusal ?? "accepted")")
    }

    @Test(arguments: ["ATK_SECRET", "=value", ""])
    func aVariableThatIsNotNameEqualsValueIsRefused(_ entry: String) {
        let refusal = Self.refusal { $0.environment = ["PATH=/bin", entry] }
        #expect(refusal?.contains("Config.Env") == true, "`\(entry)`: \(refusal ?? "accepted")")
    }

    @Test func aLabelKeyWithAnEqualsSignIsRefused() {
        let refusal = Self.refusal { $0.labels = ["a=b": "c"] }
        #expect(refusal?.contains("Config.Labels") == true, "\(refusal ?? "accepted")")
    }

    @Test func anOverlongValueIsRefused() {
        let refusal = Self.refusal { $0.environment = ["BIG=" + String(repeating: "x", count: SourceConfiguration.maximumValueBytes)] }
        #expect(refusal?.contains("more than the \(SourceConfiguration.maximumValueBytes)") == true, "\(refusal ?? "accepted")")
    }

    @Test(arguments: ["7777", "4755", "1777", "0755x", "999"])
    func aRootModeThatIsNotAPlainPermissionModeIsRefused(_ mode: String) {
        let refusal = Self.refusal(rootMode: mode)
        #expect(refusal?.contains("root's mode") == true, "\(mode): \(refusal ?? "accepted")")
    }

    @Test(arguments: ["755", "0755", "700"])
    func aPlainRootModeIsAccepted(_ mode: String) {
        #expect(Self.refusal(rootMode: mode) == nil)
    }
}
