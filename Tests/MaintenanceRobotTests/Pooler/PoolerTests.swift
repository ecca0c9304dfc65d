import Logging
@testable import MaintenanceRobot
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// The robot behind a real PgBouncer in transaction pooling: in pooler mode it relies on nothing that lives in a
/// server session; without it, it either works or stops naming the pooler, and never applies a step twice.
@Suite(.timeLimit(.minutes(3))) struct PoolerTests {
    static let steps = [
        Step("Create tenants (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY, name text NOT NULL);"),
        // Not idempotent on purpose: it counts how often it ran.
        Step("Probe (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS probe (ran_at timestamptz); INSERT INTO probe VALUES (clock_timestamp());"),
        Step("Work in the app schema (v1.1 Update)", sql: """
            CREATE SCHEMA IF NOT EXISTS app;
            SET search_path TO app, public;
            CREATE TABLE IF NOT EXISTS in_app (a int);
            """),
        Step("Seed a tenant (v1.1 Update)", sql: "INSERT INTO tenants (name) SELECT 'first' WHERE NOT EXISTS (SELECT FROM tenants);"),
    ]

    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Runs `steps` through `settings`, in pooler mode unless told otherwise.
    static func run(
        _ steps: [Step] = steps, on settings: ConnectionSettings, _ configure: (inout RobotConfiguration) -> Void = { $0.pooler = .transaction }
    ) async -> Result<RunReport, RobotError> {
        var configuration = RobotConfiguration()
        configuration.connectTimeout = .seconds(10)
        configure(&configuration)
        do {
            return .success(try await Robot(steps: steps, configuration: configuration).run(on: settings, logger: quiet))
        } catch let error as RobotError {
            return .failure(error)
        } catch {
            Issue.record("\(error)")
            return .failure(.cancelled(nil))
        }
    }

    @Test func coldWarmAndHealRunsThroughPgBouncerLeaveNoLockAndNoSettingOnTheServerSession() async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 1)
        defer { bouncer.stop() }
        let db = try await Scratch.make()
        let through = bouncer.settings(for: db.settings)

        let cold = try await Self.run(on: through).get()
        #expect(cold.outcome == .succeeded)
        #expect(cold.count(.applied) == 4)
        #expect(try await db.ledger() == [["0001", "applied", "1"], ["0002", "applied", "1"], ["0003", "applied", "1"], ["0004", "applied", "1"]])
        #expect(try await db.value("SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'in_app'") == "app")

        let warm = try await Self.run(on: through).get()
        #expect(warm.count(.skipped) == 4)

        let healed = try await Self.run(on: through) {
            $0.pooler = .transaction
            $0.mode = .heal
        }.get()
        #expect(healed.count(.healed) == 4)
        #expect(try await db.value("SELECT count(*) FROM probe") == "2", "the probe ran once cold and once in the heal")
        #expect(try await db.value("SELECT sum(attempts) FROM maintenance_robot.steps") == "8")

        // The one server session PgBouncer has served every transaction: the robot left nothing on it, so it is
        // as a new session is.
        let sessionState = """
            SELECT current_setting('search_path'), current_setting('lock_timeout'), current_setting('statement_timeout'),
                   current_setting('synchronous_commit'), current_user::text,
                   (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))::text
            """
        let left = try await TestQueries.rows(sessionState, on: through)
        #expect(left.first?.first == "\"$user\", public")
        let fresh = try await TestQueries.rows(sessionState, on: db.settings)
        #expect(left == fresh, "\(left) · \(fresh)")
    }

    @Test func eightRobotsAtOnceThroughPgBouncerApplyEveryStepOnce() async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 3)
        defer { bouncer.stop() }
        let db = try await Scratch.make()
        let through = bouncer.settings(for: db.settings)
        let results = await withTaskGroup(of: Result<RunReport, RobotError>.self) { group in
            for _ in 0..<8 { group.addTask { await Self.run(on: through) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let reports = results.compactMap { try? $0.get() }
        #expect(reports.count == 8, "\(results)")
        #expect(reports.allSatisfy { $0.outcome == .succeeded })
        #expect(reports.map { $0.count(.applied) }.reduce(0, +) == 4, "each step applied by one robot")
        #expect(try await db.value("SELECT count(*) FROM probe") == "1")
        #expect(try await db.value("SELECT count(*) FROM tenants") == "1")
        #expect(try await db.ledger() == [["0001", "applied", "1"], ["0002", "applied", "1"], ["0003", "applied", "1"], ["0004", "applied", "1"]])
    }

    @Test func withoutPoolerModeRobotsBehindPgBouncerWorkOrStopButNeverApplyTwice() async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 3)
        defer { bouncer.stop() }
        let db = try await Scratch.make()
        _ = try await db.query("CREATE TABLE probe (ran_at timestamptz)")
        let through = bouncer.settings(for: db.settings)
        let results = await withTaskGroup(of: Result<RunReport, RobotError>.self) { group in
            for _ in 0..<8 {
                group.addTask { await Self.run(on: through) { $0.lockWaitTimeout = .seconds(3) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for result in results {
            switch result {
            case .success(let report): #expect(report.outcome == .succeeded)
            case .failure(.transactionPooler), .failure(.lockNotObtained(.robots, _, _)): break
            case .failure(let error): Issue.record("unexpected: \(error)")
            }
        }
        let probes = try await db.value("SELECT count(*) FROM probe") ?? "0"
        #expect(probes == "0" || probes == "1", "the probe ran \(probes) times")
        if results.contains(where: { (try? $0.get()) != nil }) { #expect(probes == "1") }
    }

    /// PgBouncer hands the robot the one server session another client locked: the robot says a pooler is in the way.
    @Test func aServerSessionThatAlreadyHoldsTheLockIsNamedAsAPooler() async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 1)
        defer { bouncer.stop() }
        let db = try await Scratch.make()
        let through = bouncer.settings(for: db.settings)
        let holder = try await TestQueries.holdRobotLock(on: through)
        let result = await Self.run(on: through) { $0.pooler = .none }
        await holder.release()
        guard case .failure(let error) = result, case .transactionPooler(step: nil) = error else {
            Issue.record("expected the pooler to be named, got \(result)")
            return
        }
        #expect(error.description.contains("transaction pooler mode"), "\(error)")
        #expect(try await db.value("SELECT to_regclass('tenants')::text") == nil, "nothing ran")
    }

    /// Each form of step checks that it runs on the server session that holds the lock.
    @Test(arguments: [
        Step("As a block", sql: "CREATE TABLE IF NOT EXISTS moved (a int);"),
        Step("Statement by statement", sql: "SET LOCAL lock_timeout = '1s'; CREATE TABLE IF NOT EXISTS moved (a int);"),
        Step("Without a transaction", transaction: false, sql: "CREATE TABLE IF NOT EXISTS moved (a int);"),
    ])
    func aStepOnAnotherServerSessionThanTheLocksRunsNothingAndStopsTheRun(step: Step) async throws {
        let db = try await Scratch.make()
        let session = try await DatabaseSession.connect(to: db.settings, waitingUpTo: .seconds(10), logger: Self.quiet)
        defer { Task { await session.close() } }
        let configuration = RobotConfiguration()
        let ledger = Ledger(schema: configuration.ledgerSchema)
        try await RunSessionSettings(configuration).apply(on: session)
        try await ledger.create(using: RunTransaction(session: session, configuration: configuration, logger: Self.quiet))
        let plan = Plan(catalogue: try Catalogue([step]), ledger: [], mode: .apply)
        let executor = StepExecutor(session: session, ledger: ledger, configuration: configuration, exclusion: .sessionLock(backend: -1),
                                    logger: Self.quiet)
        await #expect {
            _ = try await executor.run(plan.entries[0])
        } throws: { error in
            guard case RobotError.transactionPooler(step: let named?) = error else { return false }
            return named.contains(step.name)
        }
        #expect(try await db.value("SELECT to_regclass('moved')::text") == nil)
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.steps") == "0")
    }

    @Test func behindAPoolerAStepWithoutATransactionIsRefusedUntilADirectRunAppliedIt() async throws {
        let bouncer = try await TestPgBouncer.start()
        defer { bouncer.stop() }
        let db = try await Scratch.make()
        let through = bouncer.settings(for: db.settings)
        let steps = Self.steps + [
            Step("Index tenants by name (v1.2 Update)", transaction: false, sql: "CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_name ON tenants (name);"),
        ]
        guard case .failure(let error) = await Self.run(steps, on: through), case .needsDirectConnection(let named) = error else {
            Issue.record("expected the step without a transaction to be refused")
            return
        }
        #expect(named == ["step 5 \"Index tenants by name (v1.2 Update)\""])
        #expect(error.description.contains("direct connection"), "\(error)")
        #expect(try await db.value("SELECT to_regclass('tenants')::text") == nil, "nothing ran")

        #expect(try await Self.run(steps, on: db.settings) { $0.pooler = .none }.get().count(.applied) == 5)
        #expect(try await Self.run(steps, on: through).get().count(.skipped) == 5)
    }

    @Test func aFailingStepBehindAPoolerIsRecordedAndTheRunGoesOn() async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 1)
        defer { bouncer.stop() }
        let db = try await Scratch.make()
        let steps = [Self.steps[0], Step("Broken (v1.0 Update)", sql: "SELECT 1/0;"), Self.steps[3]]
        let report = try await Self.run(steps, on: bouncer.settings(for: db.settings)).get()
        #expect(report.outcome == .degraded)
        #expect(report.steps.map(\.status) == [.applied, .failed, .applied])
        #expect(report.steps[1].failure?.sqlState == "22012")
        #expect(try await db.ledger() == [["0001", "applied", "1"], ["0002", "failed", "1"], ["0003", "applied", "1"]])
    }
}
