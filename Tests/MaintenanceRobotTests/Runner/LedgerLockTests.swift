import Logging
@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// A ledger table that another session holds locked is a lock not obtained, naming the table and its holder.
@Suite(.timeLimit(.minutes(2))) struct LedgerLockTests {
    static let first = [Step("Create tenants (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS tenants (id int);")]
    static let second = first + [Step("Create accounts (v1.1 Update)", sql: "CREATE TABLE IF NOT EXISTS accounts (id int);")]

    /// A session named `ledger-blocker` holding a table of the ledger locked in a transaction it leaves open.
    static func block(_ table: String, mode: String, on settings: ConnectionSettings) async throws -> DatabaseSession {
        var settings = settings
        settings.applicationName = "ledger-blocker"
        let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(5), logger: Logger(label: "test"))
        try await session.execute("BEGIN")
        try await session.execute("LOCK TABLE maintenance_robot.\(table) IN \(mode) MODE")
        return session
    }

    /// How a run ended.
    static func result(_ run: () async throws(RobotError) -> RunReport) async -> Result<RunReport, RobotError> {
        do { return .success(try await run()) } catch { return .failure(error) }
    }

    /// How a run ended and how long it took, on an executor of its own, so that what is timed is the robot, not the
    /// other tests of a parallel run.
    static func timed(
        _ run: @escaping @Sendable () async throws(RobotError) -> RunReport
    ) async -> (Result<RunReport, RobotError>, Duration) {
        await Task(executorPreference: DedicatedExecutor()) {
            let started = ContinuousClock.now
            let result = await Self.result(run)
            return (result, ContinuousClock.now - started)
        }.value
    }

    /// Reading the ledger waits behind ACCESS EXCLUSIVE on either table it reads (the run's first round trip);
    /// creating it behind SHARE on `meta` (under the advisory lock, before the plan's second read).
    /// SHARE on `steps` lets the reads through and stops the step's own ledger row.
    @Test(arguments: [("steps", "ACCESS EXCLUSIVE"), ("meta", "ACCESS EXCLUSIVE"), ("meta", "SHARE"), ("steps", "SHARE")])
    func aLockedLedgerTableIsALockNotObtainedNamingTheTableAndItsHolder(table: String, mode: String) async throws {
        let db = try await Scratch.make("ledger_locked_\(table)_\(mode)")
        _ = try await db.run(Self.first)
        let blocker = try await Self.block(table, mode: mode, on: db.settings)
        let (result, took) = await Self.timed { () async throws(RobotError) in
            try await db.run(Self.second) { $0.stepLockTimeout = .milliseconds(300) }
        }
        try await blocker.execute("ROLLBACK")
        await blocker.close()
        guard case .failure(let error) = result, case .lockNotObtained(.ledgerTable(let locked), let waited, let holder) = error else {
            Issue.record("expected a ledger table lock not obtained, got \(result)")
            return
        }
        #expect(locked == "maintenance_robot.\(table)")
        #expect(waited >= 0.25 && waited < 5, "waited \(waited) s")
        #expect(took < .seconds(5), "the run took \(took)")
        let named = try #require(holder)
        #expect(named.contains("ledger-blocker") && named.contains("LOCK TABLE maintenance_robot.\(table)"), "\(named)")
        #expect(error.description.contains("maintenance_robot.\(table)") && error.description.contains("ledger-blocker"), "\(error)")
        #expect(!error.description.contains("CREATE on the database"), "\(error)")
        #expect(try await db.value("SELECT to_regclass('accounts')::text") == nil, "nothing ran")
    }

    @Test func aStatementTimeoutWhileALedgerTableIsLockedIsALockNotObtainedToo() async throws {
        let db = try await Scratch.make()
        _ = try await db.run(Self.first)
        let blocker = try await Self.block("steps", mode: "ACCESS EXCLUSIVE", on: db.settings)
        let result = await Self.result { () async throws(RobotError) in
            try await db.run(Self.second) {
                $0.stepLockTimeout = .seconds(30)
                $0.statementTimeout = .milliseconds(300)
            }
        }
        try await blocker.execute("ROLLBACK")
        await blocker.close()
        guard case .failure(.lockNotObtained(.ledgerTable("maintenance_robot.steps"), _, let holder?)) = result else {
            Issue.record("expected a ledger table lock not obtained, got \(result)")
            return
        }
        #expect(holder.contains("ledger-blocker"), "\(holder)")
    }

    @Test func theHoldersStatementIsShownWithoutItsLiterals() async throws {
        let db = try await Scratch.make()
        _ = try await db.run(Self.first)
        let blocker = try await Self.block("steps", mode: "ACCESS EXCLUSIVE", on: db.settings)
        try await blocker.execute("SELECT 'hunter2-secret' AS password, $$dollar-secret$$ AS other")
        let result = await Self.result { () async throws(RobotError) in
            try await db.run(Self.second) { $0.stepLockTimeout = .milliseconds(300) }
        }
        try await blocker.execute("ROLLBACK")
        await blocker.close()
        guard case .failure(let error) = result, case .lockNotObtained(_, _, let holder?) = error else {
            Issue.record("expected a lock not obtained naming its holder, got \(result)")
            return
        }
        #expect(holder.contains("SELECT …"), "\(holder)")
        #expect(!error.description.contains("secret"), "\(error)")
    }

    @Test func statusOnALockedLedgerEndsWithinTheLockTimeout() async throws {
        let db = try await Scratch.make()
        _ = try await db.run(Self.first)
        let blocker = try await Self.block("steps", mode: "ACCESS EXCLUSIVE", on: db.settings)
        var configuration = RobotConfiguration()
        configuration.stepLockTimeout = .milliseconds(300)
        let robot = try Robot(steps: Self.second, configuration: configuration)
        let settings = db.settings
        let (result, took) = await Task(executorPreference: DedicatedExecutor()) {
            let started = ContinuousClock.now
            let result: Result<CatalogueStatus, RobotError>
            do throws(RobotError) { result = .success(try await robot.status(on: settings)) } catch { result = .failure(error) }
            return (result, ContinuousClock.now - started)
        }.value
        try await blocker.execute("ROLLBACK")
        await blocker.close()
        #expect(took < .seconds(5), "status took \(took)")
        guard case .failure(.lockNotObtained(.ledgerTable("maintenance_robot.steps"), _, let holder?)) = result else {
            Issue.record("expected a ledger table lock not obtained, got \(result)")
            return
        }
        #expect(holder.contains("ledger-blocker"), "\(holder)")
    }

    @Test func theRobotsAdvisoryLockNamesItsHolderTheSameWay() async throws {
        let db = try await Scratch.make()
        var settings = db.settings
        settings.applicationName = "robot-blocker"
        let holder = try await TestQueries.holdRobotLock(on: settings)
        let result = await Self.result { () async throws(RobotError) in
            try await db.run(Self.first) { $0.lockWaitTimeout = .milliseconds(200) }
        }
        await holder.release()
        guard case .failure(.lockNotObtained(.robots, _, let named?)) = result else {
            Issue.record("expected the robots' lock not obtained with its holder, got \(result)")
            return
        }
        #expect(named.contains("robot-blocker") && named.contains("pg_advisory_lock"), "\(named)")
    }
}
