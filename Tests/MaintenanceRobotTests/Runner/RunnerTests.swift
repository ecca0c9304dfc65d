import Foundation
import Logging
import PostgresNIO
@testable import MaintenanceRobot
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// The runner against a real PostgreSQL: each test has its own fresh database.
@Suite(.timeLimit(.minutes(3))) struct RunnerTests {
    static let history: [Step] = [
        Step("Create tenants table (v1.0 Update)", critical: true, sql: """
            CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY, store_name text NOT NULL);
            """),
        Step("Seed settings (v1.0 Update)", sql: """
            CREATE TABLE IF NOT EXISTS settings (key text PRIMARY KEY, value text NOT NULL);
            INSERT INTO settings VALUES ('prompt', 'Hello; it''s me') ON CONFLICT (key) DO NOTHING;
            """),
        Step("Add owner email (v1.1 Update)", sql: """
            DO $$
            BEGIN
                ALTER TABLE tenants ADD COLUMN owner_email text;
            EXCEPTION WHEN duplicate_column THEN
                RAISE NOTICE 'owner_email exists already';
            END
            $$;
            """),
    ]

    @Test func freshApplyThenWarmRunSkipsEverything() async throws {
        let db = try await Scratch.make()
        let first = try await db.run(Self.history)
        #expect(first.outcome == .succeeded)
        #expect(first.count(.applied) == 3)
        #expect(first.adoptedDatabase)
        #expect(try await db.value("SELECT value FROM settings") == "Hello; it's me")
        #expect(try await db.ledger() == [["0001", "applied", "1"], ["0002", "applied", "1"], ["0003", "applied", "1"]])

        let second = try await db.run(Self.history)
        #expect(second.count(.skipped) == 3)
        #expect(second.outcome == .succeeded)
        #expect(!second.adoptedDatabase)
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.runs") == "2")
    }

    /// A run that leaves every step applied records the catalogue's digest with a stamp of the step rows; a
    /// warm boot trusts it only while no step row changed since, whoever wrote it.
    @Test func catalogueDigestIsTrustedOnlyWhileTheStepRowsAreUnchanged() async throws {
        let db = try await Scratch.make()
        _ = try await db.run(Self.history)
        let digest = try Catalogue(Self.history).digest
        #expect(try await db.value("SELECT split_part(value, ' ', 1) FROM maintenance_robot.meta WHERE key = 'catalogue_digest'") == digest)
        #expect(try await db.run(Self.history).count(.skipped) == 3)

        // Another robot records a failure of step 2: the stamp moves, so the rows are read and the step runs.
        _ = try await db.query("UPDATE maintenance_robot.steps SET status = 'failed', last_run_at = clock_timestamp() WHERE id = '0002'")
        let retried = try await db.run(Self.history)
        #expect(retried.steps.map(\.status) == [.skipped, .applied, .skipped])
        #expect(retried.steps[1].reason?.hasPrefix("failed before") == true)

        // A degraded run records no digest; the failed step is tried again at the next boot.
        var broken = Self.history
        broken.append(Step("Broken seed (v1.2 Update)", sql: "INSERT INTO settings VALUES ('x', NULL)"))
        #expect(try await db.run(broken).outcome == .degraded)
        #expect(try await db.value("SELECT split_part(value, ' ', 1) FROM maintenance_robot.meta WHERE key = 'catalogue_digest'") == digest)
        #expect(try await db.run(broken).steps[3].status == .failed)
    }

    /// A step directory is lexed only when the ledger does not record that very declaration as applied; a step
    /// that does not lex still stops the run before anything runs.
    @Test func aStepDirectoryIsLexedOnlyWhenTheLedgerDoesNotRecordIt() async throws {
        let db = try await Scratch.make()
        var configuration = RobotConfiguration()
        configuration.connectTimeout = .seconds(10)
        let directory = NSTemporaryDirectory() + "robot-lexed-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ steps: [Step]) throws -> Robot {
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (index, step) in steps.enumerated() {
                let header = "-- robot:name \(step.name)\n" + (step.isCritical ? "-- robot:critical\n" : "")
                try Data((header + step.sql).utf8).write(to: URL(fileURLWithPath: directory + "/000\(index + 1)_step.sql"))
            }
            return Robot(stepDirectory: directory, configuration: configuration)
        }
        let recordedDigest = "SELECT split_part(value, ' ', 1) FROM maintenance_robot.meta WHERE key = 'catalogue_digest'"
        #expect(try await write(Self.history).run(on: db.settings).count(.applied) == 3)
        #expect(try await db.value(recordedDigest) == StepDirectory.declaration(in: directory).digest)
        let digestRowVersion = "SELECT xmin::text FROM maintenance_robot.meta WHERE key = 'catalogue_digest'"
        let recordedVersion = try await db.value(digestRowVersion)
        let warm = try await write(Self.history).run(on: db.settings)
        // A warm boot leaves the digest as it found it (it records only its run).
        #expect(try await db.value(digestRowVersion) == recordedVersion)
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.runs") == "2")
        #expect(warm.steps.map(\.status) == [.skipped, .skipped, .skipped])
        #expect(warm.steps.map(\.id) == ["0001_step", "0002_step", "0003_step"])
        #expect(warm.steps.map(\.name) == Self.history.map(\.name))
        #expect(warm.steps.map(\.isCritical) == [true, false, false])

        // A comment added: another declaration, so the steps are lexed; same statements, so nothing runs.
        var commented = Self.history
        commented[1].sql = "-- the settings every tenant reads\n" + commented[1].sql
        let relexed = try await write(commented).run(on: db.settings)
        #expect(relexed.count(.skipped) == 3)
        #expect(relexed.warnings.isEmpty)
        #expect(try await db.value(recordedDigest) == StepDirectory.declaration(in: directory).digest)

        // A new step that does not lex: the run says where, and nothing runs or is recorded.
        let runs = try await db.value("SELECT count(*) FROM maintenance_robot.runs")
        let broken = commented + [Step("Open quote (v1.2 Update)", sql: "SELECT 'never closed")]
        let robot = try write(broken)
        let error = await #expect(throws: RobotError.self) { try await robot.run(on: db.settings) }
        guard case .catalogue(let problems) = error else {
            Issue.record("expected a catalogue error, got \(String(describing: error))")
            return
        }
        #expect(problems.description.contains("0004_step.sql:2:8"), "\(problems)")
        #expect(problems.description.contains("nothing ran"), "\(problems)")
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.runs") == runs)
        #expect(try await db.ledger().count == 3)

        // A broken directory stops the run before anything runs.
        let gap = await #expect(throws: RobotError.self) {
            try await Robot(stepDirectory: Fixtures.catalogue("gap"), configuration: configuration).run(on: db.settings)
        }
        guard case .catalogue(let gapProblems) = gap else {
            Issue.record("expected a catalogue error, got \(String(describing: gap))")
            return
        }
        #expect(gapProblems.description.contains("step numbers 2, 4 are missing"), "\(gapProblems)")
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.runs") == runs)
    }

    /// A server lends the robot a connection it already has; the robot leaves it open.
    @Test func aBorrowedConnectionRunsTheCatalogueAndStaysOpen() async throws {
        let db = try await Scratch.make()
        let configuration = PostgresConnection.Configuration(
            host: db.settings.host, port: db.settings.port, username: db.settings.username, password: nil,
            database: db.settings.database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test"))
        let robot = try Robot(steps: Self.history)
        let report = try await robot.run(borrowing: DatabaseSession(borrowing: connection, logger: Logger(label: "test")))
        #expect(report.count(.applied) == 3)
        #expect(report.target.hasPrefix("borrowed connection"))
        #expect(!connection.isClosed)
        #expect(try await robot.run(borrowing: DatabaseSession(borrowing: connection, logger: Logger(label: "test"))).count(.skipped) == 3)
        try await connection.close()
    }

    @Test func healRunsEveryStepAgainAndCapturesNotices() async throws {
        let db = try await Scratch.make()
        _ = try await db.run(Self.history)
        let healed = try await db.run(Self.history) { $0.mode = .heal }
        #expect(healed.count(.healed) == 3)
        #expect(healed.steps[2].notices.map(\.message) == ["owner_email exists already"])
        #expect(healed.steps[2].notices.first?.severity == "NOTICE")
        #expect(try await db.ledger().map { $0[2] } == ["2", "2", "2"])
    }

    @Test func softFailureIsRolledBackRecordedAndTheRunGoesOn() async throws {
        let db = try await Scratch.make()
        let steps = Self.history + [
            Step("Broken seed (v1.2 Update)", sql: """
                CREATE TABLE IF NOT EXISTS half (id int);
                INSERT INTO settings (key, value)
                VALUES ('x', NULL);
                """),
            Step("After the broken one (v1.2 Update)", sql: "CREATE TABLE IF NOT EXISTS after_broken (id int);"),
        ]
        let report = try await db.run(steps)
        #expect(report.outcome == .degraded)
        #expect(report.steps.map(\.status) == [.applied, .applied, .applied, .failed, .applied])
        let failure = try #require(report.steps[3].failure)
        #expect(failure.sqlState == "23502")
        #expect(failure.statement == 2)
        #expect(failure.location?.hasSuffix("(SQL 2:1)") == true, "\(failure.location ?? "none")")
        #expect(try await db.value("SELECT to_regclass('half')::text") == nil, "a failed step leaves nothing of itself")
        #expect(try await db.value("SELECT to_regclass('after_broken')::text") == "after_broken")
        #expect(try await db.query("SELECT status, sqlstate, attempts::text FROM maintenance_robot.steps WHERE id = '0004'")
                == [["failed", "23502", "1"]])

        let again = try await db.run(steps)
        #expect(again.steps[3].status == .failed)
        #expect(again.steps[3].reason?.hasPrefix("failed before") == true)
        #expect(try await db.value("SELECT attempts::text FROM maintenance_robot.steps WHERE id = '0004'") == "2")
    }

    @Test func criticalFailureStopsAndThrowsWhileEarlierStepsStay() async throws {
        let db = try await Scratch.make()
        let steps = [
            Self.history[0],
            Step("Critical and broken (v1.0 Update)", critical: true, sql: "CREATE TABLE IF NOT EXISTS x (id int REFERENCES nowhere (id));"),
            Step("Never reached (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS never (id int);"),
        ]
        let error = await #expect(throws: RobotError.self) { try await db.run(steps) }
        guard case .criticalStepFailed(let report) = error else {
            Issue.record("expected a critical failure, got \(String(describing: error))")
            return
        }
        #expect(report.outcome == .stopped)
        #expect(report.steps.map(\.status) == [.applied, .failed, .notRun])
        #expect(report.steps[1].failure?.sqlState == "42P01")
        #expect(try await db.value("SELECT to_regclass('tenants')::text") == "tenants")
        #expect(try await db.value("SELECT to_regclass('never')::text") == nil)
    }

    @Test func editedStepIsDetectedAndRunAgain() async throws {
        let db = try await Scratch.make()
        _ = try await db.run(Self.history)
        var edited = Self.history
        edited[1].sql += "\nINSERT INTO settings VALUES ('new', 'value') ON CONFLICT (key) DO NOTHING;"
        let report = try await db.run(edited)
        #expect(report.steps.map(\.status) == [.skipped, .applied, .skipped])
        #expect(report.steps[1].reason == "changed since applied")
        #expect(report.warnings.contains { $0.contains("was edited after it was applied") })
        #expect(try await db.value("SELECT value FROM settings WHERE key = 'new'") == "value")
    }

    @Test func ledgerlessDatabaseIsAdopted() async throws {
        let db = try await Scratch.make()
        _ = try await db.query("CREATE TABLE tenants (id bigserial PRIMARY KEY, store_name text NOT NULL)")
        _ = try await db.query("ALTER TABLE tenants ADD COLUMN owner_email text")
        let report = try await db.run(Self.history)
        #expect(report.adoptedDatabase)
        #expect(report.count(.applied) == 3)
        #expect(report.steps[2].notices.map(\.message) == ["owner_email exists already"])
    }

    @Test func noTransactionStepRunsOutsideATransactionBlock() async throws {
        let db = try await Scratch.make()
        let report = try await db.run([
            Self.history[0],
            Step("Index store names (v1.0 Update)", transaction: false, sql: """
                CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_store_name_idx ON tenants (store_name);
                """),
        ])
        #expect(report.outcome == .succeeded)
        #expect(try await db.value("SELECT to_regclass('tenants_store_name_idx')::text") == "tenants_store_name_idx")
    }

    @Test func concurrentlyInsideATransactionFailsWithItsLocation() async throws {
        let db = try await Scratch.make()
        let report = try await db.run([
            Self.history[0],
            Step("Index in a transaction (v1.0 Update)", sql: """
                -- forgot robot:no-transaction
                CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_store_name_idx ON tenants (store_name);
                """),
        ])
        #expect(report.steps[1].failure?.sqlState == "25001")
        #expect(report.steps[1].failure?.message == "CREATE INDEX CONCURRENTLY cannot run inside a transaction block")
        #expect(report.steps[1].failure?.location?.hasSuffix("(SQL 2:1)") == true)
    }

    @Test func aDatabaseWithoutPLpgSQLStillRunsPlainSteps() async throws {
        let db = try await Scratch.make()
        _ = try await db.query("DROP EXTENSION plpgsql")
        let report = try await db.run([Self.history[0], Self.history[1]])
        #expect(report.steps.map(\.status) == [.applied, .applied])
        #expect(try await db.value("SELECT value FROM settings") == "Hello; it's me")
    }

    /// A transactional step is sent as one DO block; what PostgreSQL refuses inside a function but runs in a
    /// transaction block still works, and a step that raises its own statement_timeout gets it per statement.
    @Test func statementsRefusedInsideAFunctionStillRunInTheStepsTransaction() async throws {
        let db = try await Scratch.make()
        // The ledger first, under the default bounds: on a loaded machine its creation alone may take a second.
        _ = try await db.run([Self.history[0]])
        let report = try await db.run([
            Self.history[0],
            Step("Serializable backfill (v1.0 Update)", sql: """
                SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
                INSERT INTO tenants (store_name) SELECT 'first' WHERE NOT EXISTS (SELECT FROM tenants);
                """),
            Step("Back up tenants (v1.0 Update)", sql: """
                DROP TABLE IF EXISTS tenants_backup;
                SELECT * INTO tenants_backup FROM tenants;
                """),
            Step("Slow but allowed (v1.0 Update)", sql: """
                SET statement_timeout = '30s';
                SELECT pg_sleep(1.6);
                SELECT pg_sleep(1.6);
                """),
            Step("Slow and not allowed (v1.0 Update)", sql: "SELECT pg_sleep(1.6); SELECT pg_sleep(1.6);"),
        ]) { $0.statementTimeout = .seconds(3) }
        #expect(report.steps.map(\.status) == [.skipped, .applied, .applied, .applied, .failed])
        #expect(report.steps[4].failure?.sqlState == "57014")
        #expect(try await db.value("SELECT count(*)::text FROM tenants_backup") == "1")
        #expect(try await db.value("SELECT string_agg(id || ':' || status, ',' ORDER BY position) FROM maintenance_robot.steps")
                == "0001:applied,0002:applied,0003:applied,0004:applied,0005:failed")
    }

    @Test func errorInsideADoBlockPointsAtItsLine() async throws {
        let db = try await Scratch.make()
        let report = try await db.run([Step("Broken DO block (v1.0 Update)", sql: """
            DO $$
            BEGIN
                PERFORM 1;
                INSERT INTO missing_table VALUES (1);
            END
            $$;
            """)])
        let failure = try #require(report.steps[0].failure)
        #expect(failure.sqlState == "42P01")
        #expect(failure.location?.hasSuffix("(SQL 4:17)") == true, "\(failure.location ?? "none")")
    }

    @Test func dryRunChangesNothing() async throws {
        let db = try await Scratch.make()
        let report = try await db.run(Self.history) { $0.isDryRun = true }
        #expect(report.outcome == .planned)
        #expect(report.steps.map(\.status) == [.pending, .pending, .pending])
        #expect(try await db.value("SELECT to_regnamespace('maintenance_robot')::text") == nil)
        #expect(try await db.value("SELECT to_regclass('tenants')::text") == nil)
    }

    @Test func lockTimeoutIsRetriedUntilTheTableIsFree() async throws {
        let db = try await Scratch.make()
        _ = try await db.run([Self.history[0]])
        let holder = try await DatabaseSession.connect(to: db.settings, waitingUpTo: .seconds(5), logger: Logger(label: "test"))
        try await holder.execute("BEGIN")
        try await holder.execute("LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE")
        let logs = CapturedLogs()
        // The lock goes once the robot has timed out on it at least once, however slow the machine is.
        let release = Task {
            for _ in 0..<600 where !logs.entries.contains(where: { $0.message == "step hit a lock, trying again" }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await holder.execute("COMMIT")
            await holder.close()
        }
        let report = try await db.run(Self.history, logger: logs.logger()) { $0.stepLockTimeout = .milliseconds(200) }
        try await release.value
        #expect(report.outcome == .succeeded)
        #expect(report.steps[2].status == .applied)
        #expect(report.steps[2].tries > 1)
    }

    @Test func historyRewrittenInTheMiddleIsRefused() async throws {
        let db = try await Scratch.make()
        let named = Self.history.enumerated().map { index, step in
            var step = step
            step.id = "step-\(index + 1)"
            return step
        }
        _ = try await db.run(named)
        var rewritten = named
        rewritten.insert(Step("Inserted in the middle", id: "intruder", sql: "SELECT 1"), at: 1)
        let error = await #expect(throws: RobotError.self) { try await db.run(rewritten) }
        #expect(error?.description.contains("steps are only appended") == true)
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.steps") == "3")
    }

    @Test func ledgerSchemasAreIndependent() async throws {
        let db = try await Scratch.make()
        _ = try await db.run([Self.history[0]]) { $0.ledgerSchema = try! LedgerSchema("robot_a") }
        let other = try await db.run([Self.history[0]]) { $0.ledgerSchema = try! LedgerSchema("robot_b") }
        #expect(other.count(.applied) == 1)
        #expect(try await db.ledger(schema: "robot_a").count == 1)
        #expect(try await db.ledger(schema: "robot_b").count == 1)
    }

    @Test func statusShowsEachStepsStanding() async throws {
        let db = try await Scratch.make()
        let failing = Step("Fails (v1.1)", sql: "SELECT 1/0")
        _ = try await db.run(Array(Self.history.prefix(2)) + [failing])
        var edited = Array(Self.history.prefix(2))
        edited[0].sql = "CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY, store_name text);"
        let robot = try Robot(steps: edited + [failing, Step("New (v1.2)", sql: "SELECT 2")])
        let status = try await robot.status(on: db.settings)
        #expect(status.hasLedger)
        #expect(status.steps.map(\.state) == [.changed, .applied, .failed, .pending])
        #expect(status.steps[2].error == "division by zero")
    }

    @Test func databaseThatComesUpLaterIsWaitedFor() async throws {
        let port = try ThrowawayCluster.freePort()
        let settings = ConnectionSettings(host: "127.0.0.1", port: port, username: "postgres", database: "postgres", tls: .disable)
        let starter = Task {
            try await Task.sleep(for: .seconds(5))
            return try await ThrowawayCluster.start(.init(port: port))
        }
        var configuration = RobotConfiguration()
        configuration.connectTimeout = .seconds(30)
        let report = try await Robot(steps: Self.history, configuration: configuration).run(on: settings)
        let cluster = try await starter.value
        defer { cluster.stop() }
        #expect(report.count(.applied) == 3)
    }
}
