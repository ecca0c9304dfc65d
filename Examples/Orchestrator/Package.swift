// swift-tools-version:6.1
import Foundation
import PackageDescription

// The robot's own package, two folders up. A package named by path is identified by its folder's name, which is
// whatever the clone is called (`main`, `ci-check-…`), so the products below name it that way.
let robot = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()

/// The example service, a package of its own so that a library user resolving MaintenanceRobot does not also
/// resolve Hummingbird and its test client.
let package = Package(
    name: "Orchestrator",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orchestrator", targets: ["Orchestrator"]),
    ],
    dependencies: [
        .package(path: robot.path),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // OTLP over HTTP only: the default traits would also build gRPC, minutes more of every clean build.
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // The example service's logic: configuration, catalogue, HTTP API, boot sequence.
        .target(
            name: "OrchestratorService",
            dependencies: [
                .product(name: "MaintenanceRobot", package: robot.lastPathComponent),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
            ]
        ),
        // The example service's executable: reads the environment and runs OrchestratorService.
        .executableTarget(
            name: "Orchestrator",
            dependencies: [
                "OrchestratorService",
                .product(name: "ThrowawayPostgres", package: robot.lastPathComponent),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "OrchestratorServiceTests",
            dependencies: [
                "Orchestrator",
                "OrchestratorService",
                .product(name: "MaintenanceRobot", package: robot.lastPathComponent),
                .product(name: "RobotTestSupport", package: robot.lastPathComponent),
                .product(name: "RobotLint", package: robot.lastPathComponent),
                .product(name: "RobotVerify", package: robot.lastPathComponent),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
