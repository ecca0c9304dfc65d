import Foundation
import Logging
@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// A cancelled run stops promptly, holds no lock afterwards and says what ran.
@Suite(.timeLimit(.minutes(2))) struct CancellationTests {
    static let steps = [
        Step("Create tenants (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS tenants (id int);"),
        Step("Create late table (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS late_table (id int);"),
    ]

    /// The advisory locks held on the database by backends other than `holder`'s.
    static let otherAdvisoryLocks = """
        SELECT count(*) FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() AND pid <> $1
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """

    @Test func aRunCancelledWhileItWaitsForTheLockReturnsWithinASecondAndHoldsNoLock() async throws {
        let db = try await Scratch.make()
        let holder = try await DatabaseSession.connect(to: db.settings, waitingUpTo: .seconds(5), logger: Logger(label: "test"))
        let key = AdvisoryLock(schema: .standard).key
        try await holder.execute("SELECT pg_advisory_lock($1)", [.integer(key)])
        let holderPID = try #require(try await holder.execute("SELECT pg_backend_pid()::text AS pid").first?.string("pid"))
        let logs = CapturedLogs()
        // On an executor of its own, so that what is measured is the robot, not the other tests of a parallel run.
        let run = Task(executorPreference: DedicatedExecutor()) {
            let result: Result<RunReport, RobotError>
            do throws(RobotError) {
                result = .success(try await db.run(Self.steps, logger: logs.logger()) { $0.lockWaitTimeout = .seconds(60) })
            } catch {
                result = .failure(error)
            }
            return (result, ContinuousClock.now)
        }
        for _ in 0..<400 where !logs.entries.contains(where: { $0.message == "waiting for another robot to finish" }) {
            try await Task.sleep(for: .milliseconds(25))
        }
        let cancelled = ContinuousClock.now
        run.cancel()
        let (result, returned) = await run.value
        let took = returned - cancelled
        #expect(took < .seconds(1), "returned \(took) after the cancellation")
        guard case .failure(.cancelled) = result else {
            Issue.record("expected a cancelled run, got \(result)")
            return
        }
        let session = try await DatabaseSession.connect(to: db.settings, waitingUpTo: .seconds(5), logger: Logger(label: "test"))
        let held = try await session.execute(Self.otherAdvisoryLocks.replacingOccurrences(of: "$1", with: holderPID)).first?.string("count")
        #expect(held == "0", "the cancelled robot holds no advisory lock")
        #expect(try await db.value("SELECT to_regclass('late_table')::text") == nil)
        await session.close()
        await holder.close()
    }

    @Test func aRunCancelledDuringAStepStopsBeforeTheNextAndRecordsWhatRan() async throws {
        let db = try await Scratch.make()
        // The first step waits for a lock the test holds, so the run is cancelled while that step runs.
        let holder = try await DatabaseSession.connect(to: db.settings, waitingUpTo: .seconds(5), logger: Logger(label: "test"))
        try await holder.execute("SELECT pg_advisory_lock(4242)")
        let steps = [
            Step("Wait for the test (v1.0 Update)", sql: "SELECT pg_advisory_xact_lock(4242);"),
            Step("Create late table (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS late_table (id int);"),
        ]
        // A lock_timeout far beyond the test's own wait: the step must still be waiting when the run is cancelled.
        let run = Task { try await db.run(steps) { $0.stepLockTimeout = .seconds(120) } }
        let waiting = """
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """
        for _ in 0..<400 where try await db.value(waiting) != "1" {
            try await Task.sleep(for: .milliseconds(10))
        }
        run.cancel()
        try await holder.execute("SELECT pg_advisory_unlock(4242)")
        let result = await run.result
        await holder.close()
        guard case .failure(let error) = result, case .cancelled(let report?) = error as? RobotError else {
            Issue.record("expected a cancelled run with its report, got \(result)")
            return
        }
        #expect(report.outcome == .cancelled)
        #expect(report.steps.map(\.status) == [.applied, .notRun])
        #expect(try await db.value("SELECT to_regclass('late_table')::text") == nil, "the next step did not run")
        #expect(try await db.ledger() == [["0001", "applied", "1"]])
        #expect(try await db.value("SELECT outcome FROM maintenance_robot.runs ORDER BY started_at DESC LIMIT 1") == "cancelled")
        #expect(try await db.value("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """) == "0")
        // The next boot applies the rest.
        #expect(try await db.run(steps).steps.map(\.status) == [.skipped, .applied])
    }
}
