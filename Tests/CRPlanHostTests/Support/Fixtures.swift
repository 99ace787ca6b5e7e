import Foundation

/// Files under `Tests/CRPlanHostTests/Fixtures/` (captured from the e2e host's real daemons).
enum Fixture {
    static var root: String {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw CocoaError(.fileNoSuchFile)
            }
            return url.path
        }
    }

    static func path(_ relative: String) throws -> String {
        try root + "/" + relative
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }
}

/// Ids of the containers the fixtures were captured from.
enum FixtureIDs {
    static let overlayRunning = "ac7109ff38b9c506253ba33d4459ca8dfc4e18177e91c3d30e9b45b2aade073d"
    static let overlayExited = "e4f0314df72366d6e20ef9160a73df15e013674bd95c78170a9e43cfb091f96a"
    static let vfsRunning = "07616530e6ef493bc1f76c2ffd71b24ddbbddca62f3a48f69c81fe0e143f623e"
    static let vfsMountID = "3245d8d766bc705d52430fc09ef0aa6df5e843513b01d4f78568a8c6fb58ae4d"
    static let overlayHome = "/var/lib/crplan-e2e/overlay2"
    static let vfsHome = "/var/lib/crplan-e2e/vfs"
}
