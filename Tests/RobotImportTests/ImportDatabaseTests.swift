import Foundation
import Logging
import MaintenanceRobot
import RobotImport
import RobotSQL
import RobotTestSupport
import RobotVerify
import Testing

/// The imported steps, run by the robot on a fresh database, give the same database as the original strings
/// executed one by one in a loop that ignores failures, as the service did at every boot.
@Suite struct ImportDatabaseTests {
    private let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func importedStepsGiveTheSameFingerprintAsTheOriginalLoop() async throws {
        let imported = try StepListImport.read(Fixtures.service)
        try await Fixtures.withScratchDirectory { scratch in
            let directory = scratch + "/steps"
            _ = try imported.write(into: directory)

            let robotDatabase = try await TestCluster.freshDatabase("import_robot")
            var configuration = RobotConfiguration()
            configuration.connectTimeout = .seconds(10)
            let report = try await Robot(stepDirectory: directory, configuration: configuration).run(on: robotDatabase, logger: quiet)
            #expect(report.outcome == .succeeded)
            #expect(report.count(.applied) == imported.steps.count)

            let loopDatabase = try await TestCluster.freshDatabase("import_loop")
            let failures = try await runLikeTheLoop(imported.steps.map(\.value), on: loopDatabase)
            #expect(failures == 0)

            let robotFingerprint = try await fingerprint(of: robotDatabase)
            let loopFingerprint = try await fingerprint(of: loopDatabase)
            #expect(!loopFingerprint.schema.isEmpty)
            let (robotEntries, loopEntries) = (robotFingerprint.entries(includingData: true), loopFingerprint.entries(includingData: true))
            let differences = Set(robotEntries).symmetricDifference(loopEntries).sorted()
            #expect(differences.isEmpty, "entries only one database has: \(differences.map { "\($0.key): \($0.value)" })")
            #expect(robotEntries == loopEntries)
            // The function body is compared too: its indentation was kept, so its source is the same.
            #expect(loopFingerprint.schema.contains { $0.kind == "function" && $0.name.hasPrefix("touch_updated_at") })
            #expect(loopFingerprint.data.contains { $0.name == "app_settings" })
        }
    }

    /// Executes each string as the service's loop did: the statements of one string together (as one
    /// simple-query string runs, all or nothing), a failure rolled back and ignored. Returns how many failed.
    private func runLikeTheLoop(_ strings: [String], on settings: ConnectionSettings) async throws -> Int {
        let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: quiet)
        var failures = 0
        for string in strings {
            do {
                try await session.execute("BEGIN")
                for statement in try SQLStatementSplitter.split(string) { try await session.execute(statement.sql) }
                try await session.execute("COMMIT")
            } catch {
                failures += 1
                _ = try? await session.execute("ROLLBACK")
            }
        }
        await session.close()
        return failures
    }

    private func fingerprint(of settings: ConnectionSettings) async throws -> Fingerprint {
        let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: quiet)
        do {
            let fingerprint = try await Fingerprint.capture(session, ledgerSchema: .standard)
            await session.close()
            return fingerprint
        } catch {
            await session.close()
            throw error
        }
    }
}
