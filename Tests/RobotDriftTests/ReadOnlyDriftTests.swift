import Foundation
import MaintenanceRobot
import RobotDrift
import RobotTestSupport
import RobotVerify
import Testing

/// `drift` never writes to the live database: a role that may only connect, use the schema and select works, and
/// no ledger is created where there was none. The fresh install here comes from a throwaway cluster of its own, as
/// `robot drift` builds it without `--scratch-url`.
@Suite struct ReadOnlyDriftTests {
    @Test func aReadOnlyRoleChecksDriftAndNothingIsWritten() async throws {
        let live = try await DriftFixtures.live("seeded")
        let reader = "drift_reader_\(UInt32.random(in: 0...UInt32.max))"
        try await DriftFixtures.execute([
            "DROP SCHEMA maintenance_robot CASCADE",
            "DROP INDEX credential_types_provider_idx",
            "CREATE ROLE \(reader) LOGIN",
            "REVOKE ALL ON DATABASE \(live.database) FROM PUBLIC",
            "GRANT CONNECT ON DATABASE \(live.database) TO \(reader)",
            "REVOKE ALL ON SCHEMA public FROM PUBLIC",
            "GRANT USAGE ON SCHEMA public TO \(reader)",
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(reader)",
        ], on: live)
        var readOnly = live
        readOnly.username = reader
        await #expect(throws: DatabaseError.self, "the role cannot create anything") {
            try await DriftFixtures.execute(["CREATE TABLE attempt (id int)"], on: readOnly)
        }
        let before = try await Self.fingerprint(live)

        let report = try await Drift(catalogue: DriftFixtures.catalogue("seeded")).check(on: readOnly, logger: DriftFixtures.quiet)
        #expect(report.freshInstall == "throwaway cluster")
        #expect(report.differences.map(\.description) == [
            "index credential_types_provider_idx: expected CREATE INDEX credential_types_provider_idx ON public.credential_types USING btree (provider_id) · live: missing",
        ])
        #expect(report.notes == [
            "the live database has no ledger in schema maintenance_robot: the robot has not run there (or keeps its ledger in another schema), so differences may be steps that never ran",
        ])
        #expect(report.live.contains(reader))
        #expect(try await TestQueries.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'maintenance_robot'", on: live) == "0")
        #expect(try await Self.fingerprint(live) == before)
    }

    static func fingerprint(_ settings: ConnectionSettings) async throws -> Fingerprint {
        let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: DriftFixtures.quiet)
        let fingerprint = try await Fingerprint.capture(session, ledgerSchema: .standard)
        await session.close()
        return fingerprint
    }
}
