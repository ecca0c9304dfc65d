// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MaintenanceRobot",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MaintenanceRobot", targets: ["MaintenanceRobot"]),
        .library(name: "RobotSQL", targets: ["RobotSQL"]),
        .library(name: "RobotSession", targets: ["RobotSession"]),
        .library(name: "ThrowawayPostgres", targets: ["ThrowawayPostgres"]),
        .library(name: "RobotLint", targets: ["RobotLint"]),
        .library(name: "RobotVerify", targets: ["RobotVerify"]),
        .library(name: "RobotImport", targets: ["RobotImport"]),
        .library(name: "RobotDrift", targets: ["RobotDrift"]),
        .library(name: "RobotFleet", targets: ["RobotFleet"]),
        .executable(name: "robot", targets: ["robot"]),
        // A command run against a throwaway PostgreSQL cluster (DATABASE_URL set), for scripts and checks outside Swift.
        .executable(name: "throwaway-postgres", targets: ["throwaway-postgres"]),
        // Test helpers for catalogues' tests: one throwaway cluster per test process, a fresh database per test.
        .library(name: "RobotTestSupport", targets: ["RobotTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The SQL lexer and statement splitter: one lexer for runner, linter and verifier.
        .target(name: "RobotSQL"),
        // A temporary PostgreSQL cluster from the installed binaries.
        .target(name: "ThrowawayPostgres", dependencies: [.product(name: "Subprocess", package: "swift-subprocess")]),
        // The PostgreSQL session: connection settings, connect with wait, one statement at a time, notices, errors.
        // The only library module that imports PostgresNIO and NIO.
        .target(
            name: "RobotSession",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Catalogue → plan → execute → report: what a server imports.
        .target(
            name: "MaintenanceRobot",
            dependencies: [
                "RobotSQL",
                "RobotSession",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Static idempotency checks of a catalogue: `robot lint` and `Linter().check(catalogue)` in tests.
        .target(name: "RobotLint", dependencies: ["MaintenanceRobot", "RobotSQL"]),
        // `robot verify`: fresh install, idempotency and upgrade paths proven on scratch databases.
        .target(
            name: "RobotVerify",
            dependencies: [
                "MaintenanceRobot",
                "RobotSQL",
                "RobotLint",
                "ThrowawayPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        // `robot drift`: a live database compared (read-only) with the catalogue's fresh install, and the step that repairs it.
        .target(
            name: "RobotDrift",
            dependencies: [
                "MaintenanceRobot",
                "RobotSQL",
                "RobotVerify",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `robot import`: a Python module's every-boot list of SQL strings, read without Python, as step files.
        .target(name: "RobotImport", dependencies: ["MaintenanceRobot", "RobotSQL"]),
        // Fleets: many tenant schemas or databases, a bounded number at a time, with a canary, fail-fast and shards.
        .target(
            name: "RobotFleet",
            dependencies: [
                "MaintenanceRobot",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The `robot` command: argument parsing and output only.
        .executableTarget(
            name: "robot",
            dependencies: [
                "MaintenanceRobot",
                "RobotVerify",
                "RobotSQL",
                "RobotLint",
                "RobotImport",
                "RobotDrift",
                "RobotFleet",
                "ThrowawayPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // `throwaway-postgres -- COMMAND`: a throwaway cluster for the length of one command.
        .executableTarget(
            name: "throwaway-postgres",
            dependencies: [
                "ThrowawayPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        // Test helpers shared by every integration test: one throwaway cluster per test process, a fresh
        // database per test, captured logs.
        .target(
            name: "RobotTestSupport",
            dependencies: [
                "MaintenanceRobot",
                "ThrowawayPostgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RobotTestSupport"
        ),
        .testTarget(name: "RobotSQLTests", dependencies: ["RobotSQL"]),
        .testTarget(
            name: "ThrowawayPostgresTests",
            dependencies: ["ThrowawayPostgres", "throwaway-postgres", .product(name: "Subprocess", package: "swift-subprocess")]
        ),
        .testTarget(
            name: "RobotSessionTests",
            dependencies: [
                "RobotSession",
                "MaintenanceRobot",
                "ThrowawayPostgres",
                "RobotTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        .testTarget(
            name: "MaintenanceRobotTests",
            dependencies: [
                "MaintenanceRobot",
                "ThrowawayPostgres",
                "RobotSQL",
                "RobotTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RobotLintTests",
            dependencies: [
                "RobotLint", "MaintenanceRobot", "RobotSQL", "robot", "RobotTestSupport",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RobotCommandTests",
            dependencies: [
                "robot",
                "MaintenanceRobot",
                "ThrowawayPostgres",
                "RobotTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RobotVerifyTests",
            dependencies: [
                "robot",
                "RobotVerify",
                "MaintenanceRobot",
                "RobotTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RobotImportTests",
            dependencies: [
                "robot",
                "RobotImport",
                "MaintenanceRobot",
                "RobotSQL",
                "RobotVerify",
                "RobotTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RobotDriftTests",
            dependencies: [
                "robot",
                "RobotDrift",
                "RobotVerify",
                "RobotLint",
                "MaintenanceRobot",
                "ThrowawayPostgres",
                "RobotTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RobotFleetTests",
            dependencies: [
                "robot",
                "RobotFleet",
                "MaintenanceRobot",
                "ThrowawayPostgres",
                "RobotTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
