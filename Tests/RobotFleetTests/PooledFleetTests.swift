import MaintenanceRobot
import RobotFleet
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// A fleet of tenant schemas behind a real PgBouncer in transaction pooling, where one server session serves
/// transactions of several tenants in turn.
@Suite(.timeLimit(.minutes(3))) struct PooledFleetTests {
    @Test func eachTenantsSearchPathHoldsInEveryTransactionAndStaysOffTheSharedServerSessions() async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 2)
        defer { bouncer.stop() }
        let db = try await Tenants.database(6)
        let through = bouncer.settings(for: db)
        var configuration = RobotConfiguration()
        configuration.pooler = .transaction
        configuration.connectTimeout = .seconds(20)
        let robot = try Robot(steps: [
            Step("Create invoices (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS invoices (id bigserial PRIMARY KEY);"),
            Step("Work in public for a while (v1.0 Update)", sql: "SET search_path TO public;"),
            Step("Create a table after the set (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS after_the_set (a integer);"),
            Step("Probe (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS probe (a integer); INSERT INTO probe VALUES (1);"),
        ], configuration: configuration)
        let fleet = try await Tenants.fleet(on: through)
        let ghost = FleetTarget(connection: through, tenantSchema: try TenantSchema("Ghost"))
        // Three targets at a time on two server sessions.
        let report = try await Fleet(fleet.targets + [ghost]).run(robot, schedule: FleetSchedule(parallelism: 3), logger: Tenants.quiet)

        #expect(report.count(.succeeded) == 6, "\(FleetTextRenderer.render(report))")
        #expect(report.targets.last?.outcome == .failed)
        #expect(report.targets.last?.reason?.contains(#"the tenant schema "Ghost" does not exist"#) == true)
        let places = try await TestQueries.rows("""
            SELECT relname::text, string_agg(relnamespace::regnamespace::text, ',' ORDER BY 1) FROM pg_class
            WHERE relname IN ('invoices', 'after_the_set') GROUP BY relname ORDER BY relname
            """, on: db)
        let tenants = (1...6).map(Tenants.name).joined(separator: ",")
        #expect(places == [["after_the_set", tenants], ["invoices", tenants]])
        #expect(try await Tenants.probeRows(on: db).values.allSatisfy { $0 == 1 })
        #expect(try await TestQueries.value("SELECT current_setting('search_path')", on: through) == "\"$user\", public")
    }
}
