import Foundation
import Logging
import MaintenanceRobot
import RobotFleet
import RobotTestSupport
import Testing

/// Fleets of tenant schemas against a real PostgreSQL, in this process.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FleetTests {
    @Test func everyTenantSchemaGetsEveryStepOnceInItsOwnSchemaWithItsOwnLedger() async throws {
        let db = try await Tenants.database(40)
        let quotedName = #"Tenant "Q" Big"#
        _ = try await TestQueries.rows(#"CREATE SCHEMA "Tenant ""Q"" Big""#, on: db)
        let query = Tenants.query.replacingOccurrences(of: " ORDER BY 1", with: " OR nspname = 'Tenant \"Q\" Big' ORDER BY 1")
        let fleet = Fleet(try await TenantSchemaQuery.targets(query, on: db, configuration: RobotConfiguration(), logger: Tenants.quiet))
        #expect(fleet.targets.count == 41)

        let cold = try await fleet.run(Tenants.robot(), schedule: FleetSchedule(parallelism: 4), logger: Tenants.quiet)
        #expect(cold.count(.succeeded) == 41, "\(FleetTextRenderer.render(cold))")
        #expect(cold.targets.allSatisfy { $0.report?.count(.applied) == 5 })
        let probes = try await Tenants.probeRows(on: db)
        #expect(probes.count == 40 && probes.values.allSatisfy { $0 == 1 }, "\(probes)")
        #expect(try await TestQueries.value(#"SELECT count(*)::text FROM "Tenant ""Q"" Big".probe"#, on: db) == "1")
        // Every step's tables in the tenant's schema, none in public; the app's own `steps` beside the ledger's.
        #expect(try await TestQueries.value("SELECT count(*)::text FROM pg_tables WHERE tablename = 'invoices'", on: db) == "41")
        #expect(try await TestQueries.value("SELECT to_regclass('public.invoices')::text", on: db) == nil)
        #expect(try await TestQueries.value("SELECT label FROM tenant_017.steps", on: db) == "onboarding")

        // Each tenant a ledger schema of its own, and no shared one.
        let ledgers = Set(cold.targets.map(\.ledgerSchema))
        #expect(ledgers.count == 41 && !ledgers.contains("maintenance_robot"))
        #expect(try await Tenants.schemas(startingWith: "maintenance_robot", on: db).count == 41)
        #expect(!(try await Tenants.schemas(startingWith: "maintenance_robot", on: db)).contains("maintenance_robot"))
        let quotedLedger = try #require(cold.targets.first { $0.schema == quotedName }?.ledgerSchema)
        #expect(try await TestQueries.value("SELECT count(*)::text FROM \(quotedLedger).steps WHERE status = 'applied'", on: db) == "5")

        let warm = try await fleet.run(Tenants.robot(), schedule: FleetSchedule(parallelism: 4), logger: Tenants.quiet)
        #expect(warm.count(.succeeded) == 41)
        #expect(warm.targets.allSatisfy { $0.report?.count(.skipped) == 5 })
        #expect(try await Tenants.probeRows(on: db).values.allSatisfy { $0 == 1 })
    }

    @Test func aTenantWhoseSchemaBreaksAStepIsReportedFailedFirstWhileTheOthersSucceed() async throws {
        let db = try await Tenants.database(12)
        // A hand-made object in the way of step 1's table.
        _ = try await TestQueries.rows("CREATE TYPE tenant_007.invoices AS ENUM ('draft')", on: db)
        let report = try await Tenants.fleet(on: db).run(Tenants.robot(), schedule: FleetSchedule(parallelism: 4), logger: Tenants.quiet)
        #expect(report.count(.succeeded) == 11)
        let broken = try #require(report.targets.first { $0.outcome == .stopped })
        #expect(broken.schema == "tenant_007")
        #expect(broken.report?.steps.first?.failure?.sqlState == "42710")
        let probes = try await Tenants.probeRows(on: db)
        #expect(probes["tenant_007"] == .some(nil))
        #expect(probes.filter { $0.key != "tenant_007" }.values.allSatisfy { $0 == 1 })

        let text = FleetTextRenderer.render(report)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1] == "stopped (1)", "\(text)")
        #expect(lines[2].hasSuffix("schema=tenant_007"), "\(text)")
        #expect(lines[3].contains("type \"invoices\" already exists"), "\(text)")
        #expect(lines.contains("succeeded (11)"), "\(text)")
        #expect(lines.last?.hasPrefix("12 targets: 1 stopped, 11 succeeded; steps: 55 applied") == true, "\(text)")
    }

    @Test func theCanaryStopsTheRestUntilItSucceeds() async throws {
        let db = try await Tenants.database(10)
        _ = try await TestQueries.rows("CREATE TYPE tenant_002.invoices AS ENUM ('draft')", on: db)
        let fleet = try await Tenants.fleet(on: db)
        let stopped = try await fleet.run(Tenants.robot(), schedule: FleetSchedule(parallelism: 4, canary: 3), logger: Tenants.quiet)
        #expect(stopped.targets.map(\.outcome) == [.succeeded, .stopped, .succeeded] + Array(repeating: .notRun, count: 7))
        #expect(stopped.summary.stop == .canaryFailed)
        #expect(stopped.targets[5].reason == "not started: a canary target failed")
        // The rest untouched: no ledger (the canary's three have theirs), no table.
        #expect(try await Tenants.schemas(startingWith: "maintenance_robot", on: db).count == 3)
        #expect(try await TestQueries.value("SELECT to_regclass('tenant_004.invoices')::text", on: db) == nil)
        #expect(FleetTextRenderer.render(stopped).contains("not-run (7) — not started: a canary target failed"))

        // Once the canary passes, the rest runs.
        _ = try await TestQueries.rows("DROP TYPE tenant_002.invoices", on: db)
        let passed = try await fleet.run(Tenants.robot(), schedule: FleetSchedule(parallelism: 4, canary: 3), logger: Tenants.quiet)
        #expect(passed.count(.succeeded) == 10 && passed.summary.stop == nil)
        #expect(try await Tenants.probeRows(on: db).values.allSatisfy { $0 == 1 })
    }

    @Test func failFastStartsNoTargetAfterTheFirstFailure() async throws {
        let db = try await Tenants.database(6)
        _ = try await TestQueries.rows("CREATE TYPE tenant_002.invoices AS ENUM ('draft')", on: db)
        let report = try await Tenants.fleet(on: db).run(Tenants.robot(), schedule: FleetSchedule(parallelism: 1, failsFast: true),
                                                         logger: Tenants.quiet)
        #expect(report.targets.map(\.outcome) == [.succeeded, .stopped, .notRun, .notRun, .notRun, .notRun])
        #expect(report.summary.stop == .failFast)
    }

    @Test func neverMoreTargetsAtOnceThanTheParallelism() async throws {
        var db = try await Tenants.database(12)
        db.applicationName = "fleet-bound-\(db.database.suffix(10))"
        let robot = try Robot(steps: [
            Step("Count the fleet's connections", sql: """
                CREATE TABLE IF NOT EXISTS seen (connections integer NOT NULL);
                SELECT pg_sleep(0.3);
                INSERT INTO seen SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(db.applicationName)' AND state = 'active';
                """),
        ])
        let report = try await Tenants.fleet(on: db).run(robot, schedule: FleetSchedule(parallelism: 3), logger: Tenants.quiet)
        #expect(report.count(.succeeded) == 12)
        let seen = try await TestQueries.rows("""
            SELECT (xpath('/row/c/text()', query_to_xml(format('SELECT max(connections) AS c FROM %I.seen', nspname), false, true, '')))[1]::text
            FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'
            """, on: db).compactMap { $0[0].flatMap { Int($0) } }
        #expect(seen.count == 12)
        #expect(seen.max() == 3, "connections seen at once: \(seen)")
    }

    @Test func cancellingTheFleetStopsRunningTargetsBeforeTheirNextStepAndStartsNoOther() async throws {
        var db = try await Tenants.database(8)
        db.applicationName = "fleet-cancel-\(db.database.suffix(10))"
        let robot = try Robot(steps: [
            Step("Take a moment", sql: "SELECT pg_sleep(1);"),
            Step("Create a table", sql: "CREATE TABLE IF NOT EXISTS after_the_moment (a integer);"),
        ])
        let fleet = try await Tenants.fleet(on: db)
        let run = Task { try await fleet.run(robot, schedule: FleetSchedule(parallelism: 2), logger: Tenants.quiet) }
        let connections = "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = '\(db.applicationName)' AND state = 'active'"
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while try await TestQueries.value(connections, on: db) == "0", clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        run.cancel()
        let report = try await run.value
        #expect(report.summary.stop == .cancelled)
        #expect(report.count(.succeeded) == 0)
        #expect(report.count(.cancelled) == 2 && report.count(.notRun) == 6, "\(report.targets.map(\.outcome))")
        #expect(try await TestQueries.value("SELECT count(*)::text FROM pg_tables WHERE tablename = 'after_the_moment'", on: db) == "0")
    }

    @Test func aStepThatSetsTheSearchPathDoesNotMoveTheNextStepsTablesOutOfTheTenant() async throws {
        let db = try await Tenants.database(1)
        let robot = try Robot(steps: [
            Step("Work in public for a while", sql: "SET search_path TO public;"),
            Step("Create a table", sql: "CREATE TABLE IF NOT EXISTS after_the_set (a integer);"),
        ])
        let report = try await Tenants.fleet(on: db).run(robot, logger: Tenants.quiet)
        #expect(report.count(.succeeded) == 1)
        #expect(try await TestQueries.value("SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'after_the_set'", on: db)
            == "tenant_001")
    }

    @Test func aMissingTenantSchemaFailsItsTargetAndPutsNothingInPublic() async throws {
        let db = try await Tenants.database(1)
        let fleet = Fleet([
            FleetTarget(connection: db, tenantSchema: try TenantSchema("Ghost")),
            FleetTarget(connection: db, tenantSchema: try TenantSchema("tenant_001")),
        ])
        let report = try await fleet.run(Tenants.robot(), logger: Tenants.quiet)
        #expect(report.targets.map(\.outcome) == [.failed, .succeeded])
        #expect(report.targets[0].reason?.contains(#"the tenant schema "Ghost" does not exist"#) == true, "\(report.targets[0])")
        #expect(try await TestQueries.value("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'", on: db) == "0")
    }

    @Test func statusShowsWhichTenantsAreBehind() async throws {
        let db = try await Tenants.database(4)
        let fleet = try await Tenants.fleet(on: db)
        let robot = Tenants.robot()
        _ = try await Fleet(Array(fleet.targets.prefix(3))).run(robot, logger: Tenants.quiet)
        let status = try await fleet.status(robot, parallelism: 2, logger: Tenants.quiet)
        #expect(status.targets.map(\.isUpToDate) == [true, true, true, false])
        #expect(status.targets[3].status?.count(.pending) == 5)
        #expect(FleetTextRenderer.render(status).hasSuffix("3 up to date, 1 behind, 0 not read"))
    }
}
