import Foundation
import MaintenanceRobot
import RobotTestSupport
import Subprocess
import Testing

/// A robot killed during a real `CREATE INDEX CONCURRENTLY` leaves an INVALID index; `robot status` names it and
/// the next run builds it again.
@Suite(.timeLimit(.minutes(5))) struct ConcurrentIndexCommandTests {
    static func value(_ sql: String, on settings: ConnectionSettings) async throws -> String? {
        try await TestQueries.value(sql, on: settings)
    }

    @Test func aRobotKilledDuringAConcurrentBuildIsRepairedByTheNextRun() async throws {
        let (url, settings) = try await RobotCommandTests.freshURL()
        // The index's key takes a millisecond a row: building it on 5,000 rows takes five seconds however fast the
        // machine, long enough to be killed in the middle of it, and to be noticed dead well before it ends.
        _ = try await TestQueries.rows("""
            CREATE TABLE events AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 5000) AS g
            """, on: settings)
        _ = try await TestQueries.rows("""
            CREATE FUNCTION payload_digest(payload text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
            BEGIN
                PERFORM pg_sleep(0.001);
                RETURN md5(payload);
            END
            $$
            """, on: settings)
        let steps = RobotProcess.steps("concurrent-index")
        let validity = "SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('events_payload_digest_idx')"

        let (killed, _) = try await RobotProcess.runAndSignal(["run", "--steps", steps], environment: ["DATABASE_URL": url]) {
            try await Self.value("SELECT count(*) FROM pg_stat_progress_create_index WHERE datname = current_database() AND phase LIKE 'building index%'", on: settings) == "1"
        }
        #expect(killed == .signaled(SIGKILL))
        // The server ends the build when it sees the client gone (the robot's sessions check for it every second).
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while try await Self.value("SELECT count(*) FROM pg_stat_progress_create_index WHERE datname = current_database()", on: settings) != "0", clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let left = try await Self.value(validity, on: settings)
        #expect(left == "false", "the interrupted build left an INVALID index, not \(left ?? "no index")")
        #expect(try await Self.value("SELECT count(*) FROM maintenance_robot.steps WHERE status = 'applied'", on: settings) == "0")

        let status = try await RobotProcess.run(["status", "--steps", steps], environment: ["DATABASE_URL": url])
        #expect(status.stdout.contains("INVALID index public.events_payload_digest_idx on public.events"), "\(status.output)")
        #expect(status.stdout.contains("step 1 \"Index events by payload digest (v1.0 Update)\""), "\(status.output)")

        let again = try await RobotProcess.run(["run", "--steps", steps], environment: ["DATABASE_URL": url])
        #expect(again.code == 0, "\(again.output)")
        #expect(again.stdout.contains("1 applied"), "\(again.output)")
        #expect(again.stderr.contains("dropping an INVALID index"), "\(again.output)")
        #expect(try await Self.value(validity, on: settings) == "true")
        let after = try await RobotProcess.run(["status", "--json", "--steps", steps], environment: ["DATABASE_URL": url])
        let decoded = try JSONDecoder().decode(CatalogueStatus.self, from: Data(after.stdout.utf8))
        #expect(decoded.invalidIndexes.isEmpty && decoded.count(.applied) == 1, "\(after.output)")
    }
}
