// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "crplan",
    // Linux only: the host layer uses Glibc, /proc, mount(2) and flock(2).
    products: [
        .executable(name: "crplan", targets: ["CRPlanCLI"]),
        .library(name: "CRPlanCore", targets: ["CRPlanCore"]),
        .library(name: "CRPlanHost", targets: ["CRPlanHost"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "CRPlanCore",
            dependencies: [
                "CRPlanImages",
                .product(name: "Yams", package: "Yams"),
                // SHA-256: journal line checksums, plan digest, archive members.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // CRIU's image files decoded into crplan's own values (statistics,
        // process tree, core, inventory). The protobuf code generated from
        // Protos/criu (scripts/gen-criu-protos) stays internal here, so no
        // SwiftProtobuf type reaches CRPlanCore's API.
        .target(
            name: "CRPlanImages",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRPlanHost",
            dependencies: [
                "CRPlanCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CRPlanCLI",
            dependencies: [
                "CRPlanCore",
                "CRPlanHost",
                "CRPlanImages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            dependencies: ["CRPlanCore", "CRPlanImages", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRPlanImagesTests",
            dependencies: ["CRPlanImages"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRPlanHostTests",
            dependencies: [
                "CRPlanHost",
                "CRPlanCore",
                "CRPlanImages",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        // Runs the built `crplan` where no host is needed (no Docker, no CRIU):
        // exit codes, output formats, help and usage errors. Depending on the
        // executable target makes SwiftPM build `crplan` before the tests.
        .testTarget(
            name: "CRPlanCLITests",
            dependencies: ["CRPlanCLI", "CRPlanCore", "CRPlanTestSupport"],
            swiftSettings: strictSettings
        ),
        // Runs the built `crplan` against the real Docker daemons and CRIU of
        // a provisioned host (scripts/provision). Depending on the executable
        // target makes SwiftPM build `crplan` before the tests.
        .testTarget(
            name: "CRPlanE2ETests",
            dependencies: ["CRPlanCLI", "CRPlanCore", "CRPlanImages", "CRPlanTestSupport"],
            swiftSettings: strictSettings
        ),
        // What the test targets that run the built `crplan` share: where it is.
        .target(
            name: "CRPlanTestSupport",
            path: "Tests/CRPlanTestSupport",
            swiftSettings: strictSettings
        ),
    ]
)
