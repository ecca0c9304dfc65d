import Foundation
import Logging
import MaintenanceRobot
import RobotDrift
import RobotLint
import RobotTestSupport
import RobotVerify
import Testing

/// The fixture catalogues, live databases built from them, and drift checks whose fresh install is made on the test
/// process's shared cluster (its own `drift_<run>_…` database, dropped afterwards).
enum DriftFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// Only critical messages: the steps' notices would otherwise fill the test output.
    static let quiet: Logger = {
        var logger = Logger(label: "drift-tests")
        logger.logLevel = .critical
        return logger
    }()

    static func catalogue(_ name: String) throws -> Catalogue {
        try StepDirectory.load(directory + "/" + name)
    }

    /// A copy of a fixture step directory in a temporary directory: the place `--write-step` writes to.
    static func copy(_ name: String) throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("drift-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: directory + "/" + name, toPath: copy)
        return copy
    }

    /// The shared cluster's maintenance database: where fresh installs and verifications make their scratch databases.
    static func scratchURL() async throws -> String {
        try await TestCluster.cluster().url(database: "postgres")
    }

    /// Drift options whose fresh install is built on the shared cluster.
    static func options(_ change: (inout DriftOptions) -> Void = { _ in }) async throws -> DriftOptions {
        var options = DriftOptions()
        options.scratch = .server(try ConnectionSettings(url: try await scratchURL()))
        change(&options)
        return options
    }

    /// A new database with the fixture catalogue `name` applied, every step succeeding.
    static func live(_ name: String, label: String = #function) async throws -> ConnectionSettings {
        let live = try await TestCluster.freshDatabase(label)
        try await apply(name, to: live)
        return live
    }

    /// Runs a fixture catalogue (or a step directory given by path) on `settings`; every step must succeed.
    static func apply(_ name: String, to settings: ConnectionSettings) async throws {
        let path = name.hasPrefix("/") ? name : directory + "/" + name
        let report = try await Robot(stepDirectory: path).run(on: settings, logger: quiet)
        #expect(report.failedSteps.isEmpty, "\(report.failedSteps.map { "\($0.name): \($0.failure?.description ?? "")" })")
    }

    /// Runs each statement on `settings` as its superuser: the hand that makes the live database drift.
    static func execute(_ statements: [String], on settings: ConnectionSettings) async throws {
        let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: quiet)
        do {
            for statement in statements { try await session.execute(statement) }
            await session.close()
        } catch {
            await session.close()
            throw error
        }
    }

    static func check(_ name: String, on live: ConnectionSettings, _ change: (inout DriftOptions) -> Void = { _ in }) async throws -> DriftReport {
        try await Drift(catalogue: catalogue(name), options: options(change)).check(on: live, logger: quiet)
    }

    /// The lint findings of the step files `paths` (by file name) in the step directory `steps`.
    static func lintFindings(of paths: [String], in steps: String) throws -> [String] {
        let names = Set(paths.map { ($0 as NSString).lastPathComponent })
        return try Linter().lint(directory: steps)
            .filter { names.contains(($0.file as NSString).lastPathComponent) }
            .map(TextRenderer.line)
    }

    /// The text of a file.
    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}
