// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "crplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "crplan", targets: ["CRPlanCLI"]),
        .library(name: "CRPlanCore", targets: ["CRPlanCore"]),
        .library(name: "CRPlanHost", targets: ["CRPlanHost"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "CRPlanCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRPlanHost",
            dependencies: [
                "CRPlanCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CRPlanCLI",
            dependencies: [
                "CRPlanCore",
                "CRPlanHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // libFuzzer entry point for loader + linter + planner. A normal build
        // makes a small program that runs the same checks on files given as
        // arguments (to replay a crash); scripts/fuzz builds it with
        // `-sanitize=fuzzer,address -DCRPLAN_FUZZ` into .build-fuzz.
        .executableTarget(
            name: "CRPlanFuzz",
            dependencies: ["CRPlanCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRPlanCoreTests",
            dependencies: ["CRPlanCore", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRPlanHostTests",
            dependencies: [
                "CRPlanHost",
                "CRPlanCore",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        // Runs the built `crplan` against the real Docker daemons and CRIU of
        // a provisioned host (scripts/provision). Depending on the executable
        // target makes SwiftPM build `crplan` before the tests.
        .testTarget(
            name: "CRPlanE2ETests",
            dependencies: ["CRPlanCLI", "CRPlanCore"],
            swiftSettings: strictSettings
        ),
    ]
)
