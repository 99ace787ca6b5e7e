import Foundation
import Testing
@testable import CRPlanCore

/// CRIU_BINARY, if it names an executable.
private let installedCRIU: String? = {
    guard let path = ProcessInfo.processInfo.environment["CRIU_BINARY"],
          FileManager.default.isExecutableFile(atPath: path) else { return nil }
    return path
}()

/// Holds `CRIUOptionTable` to the CRIU installed here (`CRIU_BINARY`, as
/// `scripts/test` sets it): CRIU's own option parser must read every name
/// with the argument kind the table gives, and resolve abbreviations as
/// `CRIUOptionTable.match` does. Only argument parsing runs: each probe
/// ends in a parse error before CRIU does anything.
@Suite(.enabled(if: installedCRIU != nil, "needs CRIU_BINARY"))
struct CRIUOptionTableTests {
    static let criu = installedCRIU

    /// CRIU's first line on standard error for `criu check ARGS`.
    static func parse(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(filePath: try #require(criu))
        process.arguments = ["check"] + arguments
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }

    static let stop = "--crplan-probe-stop"

    @Test func everyOptionHasItsArgumentKind() throws {
        for option in CRIUOptionTable.options {
            let name = "--" + option.name
            switch option.argument {
            case .none:
                let line = try Self.parse([name + "=", Self.stop])
                #expect(line.contains("option '\(name)' doesn't allow an argument"), "\(name): \(line)")
            case .required:
                let line = try Self.parse([name])
                #expect(line.contains("option '\(name)' requires an argument"), "\(name): \(line)")
            case .optional:
                // A value is optional: alone it is accepted, and the stop is next.
                let line = try Self.parse([name, Self.stop])
                #expect(line.contains("unrecognized option '\(Self.stop)'"), "\(name): \(line)")
            }
        }
    }

    @Test func abbreviationsResolveAsCRIUReadsThem() throws {
        for prefix in ["auto-dedu", "leave-run", "tcp-cl", "no-auto", "ms", "daem", "evasive"] {
            guard case .found(let option) = CRIUOptionTable.match(long: prefix) else {
                Issue.record("--\(prefix) must resolve")
                continue
            }
            let line = try Self.parse(["--" + prefix + "=", Self.stop])
            #expect(line.contains("option '--\(option.name)' doesn't allow an argument"), "--\(prefix): \(line)")
        }
        for prefix in ["tcp", "leave", "a", "no-s", "cgroup-props", "tls-c"] where !CRIUOptionTable.options.contains(where: { $0.name == prefix }) {
            guard case .ambiguous = CRIUOptionTable.match(long: prefix) else {
                Issue.record("--\(prefix) must be ambiguous")
                continue
            }
            let line = try Self.parse(["--" + prefix + "=", Self.stop])
            #expect(line.contains("is ambiguous"), "--\(prefix): \(line)")
        }
        for unknown in ["bogus", "imagez", "x-y"] {
            #expect(CRIUOptionTable.match(long: unknown) == .unknown)
            let line = try Self.parse(["--" + unknown + "=", Self.stop])
            #expect(line.contains("unrecognized option '--\(unknown)='"), "--\(unknown): \(line)")
        }
    }
}
