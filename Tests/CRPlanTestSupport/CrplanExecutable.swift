import Foundation

/// Where the built `crplan` is, for the test targets that run it
/// (`CRPlanCLITests`, `CRPlanE2ETests`); both depend on the executable
/// target, so SwiftPM builds it before them.
public enum CrplanExecutable {
    /// `CRPLAN_BINARY_PATH`, else `crplan` beside the test bundle (SwiftPM puts
    /// both in `.build/<triple>/debug/`), else `<package>/.build/debug/crplan`.
    public static func path(_ environment: [String: String]) -> String {
        if let path = environment["CRPLAN_BINARY_PATH"], !path.isEmpty { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? ""
        var directory = (executable as NSString).deletingLastPathComponent
        // On some layouts the bundle is a directory: `<dir>/X.xctest/...`.
        while !directory.isEmpty, directory != "/" {
            let candidate = directory + "/crplan"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            if !directory.contains(".xctest") { break }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return packageDirectory + "/.build/debug/crplan"
    }

    /// The package's root folder (this file is `Tests/CRPlanTestSupport/…`).
    public static let packageDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
