@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// The ledger's own notices are the robot's housekeeping: no step's report carries them.
@Suite(.timeLimit(.minutes(2))) struct LedgerNoticeTests {
    @Test func aStepRunAfterTheLedgerExistsReportsOnlyItsOwnNotices() async throws {
        let db = try await Scratch.make()
        let first = [Step("Create tenants (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS tenants (id int);")]
        _ = try await db.run(first)
        let second = first + [Step("Create accounts (v1.1 Update)", sql: """
            DO $$ BEGIN RAISE NOTICE 'accounts step says hello'; END $$;
            CREATE TABLE IF NOT EXISTS accounts (id int);
            """)]
        // The second run finds the ledger: its CREATE … IF NOT EXISTS statements each say "already exists, skipping".
        let report = try await db.run(second)
        #expect(report.steps.map(\.status) == [.skipped, .applied])
        let notices = report.steps[1].notices.map(\.message)
        #expect(notices == ["accounts step says hello"], "\(notices)")
        #expect(report.steps.allSatisfy { $0.notices.allSatisfy { !$0.message.contains("already exists, skipping") } })
    }
}
