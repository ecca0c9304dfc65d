import MaintenanceRobot
@testable import RobotFleet
import Testing

/// The lines a fleet's progress shows: no database needed.
@Suite struct FleetTextRendererTests {
    @Test func theLiveLineAndTheLogLineSayWhereTheFleetStandsAndNeverAPassword() throws {
        let connection = ConnectionSettings(host: "db", username: "app", password: "s3cr3t", database: "app")
        let target = FleetTarget(connection: connection, tenantSchema: try TenantSchema("Acme EU"))
        let error = RobotError.connection(.unreachable(target: connection.description, waited: .seconds(2), attempts: 3, lastReason: "refused"))
        let finished = FleetReport.Target(target, ledgerSchema: .standard, error: error, duration: .seconds(2))
        let progress = FleetProgress(target: finished, total: 40, finished: 12, failed: 1, elapsed: .seconds(4))

        #expect(FleetTextRenderer.progressLine(progress) == "12/40 done, 1 failed, 28 left · 3.0 targets/s · about 9.33 s left")
        let line = FleetTextRenderer.finished(progress)
        #expect(line.hasPrefix("unreachable: Could not connect to postgres://app@db:5432/app?sslmode=prefer within"), "\(line)")
        #expect(line.hasSuffix(" — done 12/40"), "\(line)")
        #expect(FleetTextRenderer.label(finished) == #"postgres://app@db:5432/app?sslmode=prefer schema="Acme EU""#)
        #expect(![line, FleetTextRenderer.label(finished), finished.reason ?? ""].contains { $0.contains("s3cr3t") })
    }
}
