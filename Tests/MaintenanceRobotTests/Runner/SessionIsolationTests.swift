@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// Every step starts from the same session, whatever an earlier step of the run set.
@Suite struct SessionIsolationTests {
    static let searchPathSteps = [
        Step("Create the app schema (v1.0 Update)", sql: "CREATE SCHEMA IF NOT EXISTS app;"),
        Step("Work in the app schema (v1.0 Update)", sql: "SET search_path TO app, public;"),
        Step("Create the leak table (v1.1 Update)", sql: "CREATE TABLE IF NOT EXISTS leak_t (a int);"),
    ]

    @Test func aSearchPathSetByOneStepDoesNotMoveTheNextStepsTables() async throws {
        let fresh = try await Scratch.make("fresh")
        _ = try await fresh.run(Self.searchPathSteps)
        let upgraded = try await Scratch.make("upgraded")
        _ = try await upgraded.run(Array(Self.searchPathSteps.prefix(2)))
        _ = try await upgraded.run(Self.searchPathSteps)
        let place = "SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'leak_t'"
        #expect(try await fresh.value(place) == "public")
        #expect(try await upgraded.value(place) == "public")
    }

    @Test func aTinyStatementTimeoutSetByOneStepDoesNotFailTheNext() async throws {
        let db = try await Scratch.make()
        let report = try await db.run([
            Step("Cut every statement short", sql: "SELECT set_config('statement_timeout', '1', false);"),
            Step("Take a moment", sql: "SELECT pg_sleep(0.05);"),
            Step("And another", sql: "DO $$ BEGIN PERFORM pg_sleep(0.05); END $$;"),
        ])
        #expect(report.outcome == .succeeded, "\(report.steps.map { "\($0.status) \($0.failure?.description ?? "")" })")
    }

    @Test func aRoleOrUserTakenOnByOneStepIsGivenBackBeforeTheNext() async throws {
        let db = try await Scratch.make()
        let role = "powerless_\(db.settings.database.suffix(8))"
        let report = try await db.run([
            Step("A powerless role", sql: """
                DO $$ BEGIN CREATE ROLE \(role) NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
                SET ROLE \(role);
                """),
            Step("Create a table", sql: "CREATE TABLE IF NOT EXISTS owned_by_the_robot (a int);"),
            Step("Become the powerless role for good", sql: "SET SESSION AUTHORIZATION \(role);"),
            Step("Create another table", sql: "CREATE TABLE IF NOT EXISTS also_owned_by_the_robot (a int);"),
        ])
        #expect(report.outcome == .succeeded, "\(report.steps.map { "\($0.status) \($0.failure?.description ?? "")" })")
        #expect(try await db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'also_owned_by_the_robot'") == db.settings.username)
    }

    @Test func theRobotsOwnTimeoutsHoldAgainAfterAStepThatChangedThem() async throws {
        let db = try await Scratch.make()
        let report = try await db.run([
            Step("Wait long for locks", transaction: false, sql: "SET lock_timeout = '1h';\nSET statement_timeout = 0;"),
            Step("Record the timeouts", sql: """
                CREATE TABLE IF NOT EXISTS seen (lock_timeout text, statement_timeout text);
                INSERT INTO seen SELECT current_setting('lock_timeout'), current_setting('statement_timeout');
                """),
        ]) {
            $0.stepLockTimeout = .seconds(7)
            $0.statementTimeout = .seconds(90)
        }
        #expect(report.outcome == .succeeded)
        #expect(try await db.query("SELECT lock_timeout, statement_timeout FROM seen") == [["7s", "90s"]])
    }
}
