import Foundation
import Logging
import MaintenanceRobot
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// `robot run` behind a locked ledger table, and behind a database that is not up yet.
@Suite(.timeLimit(.minutes(3))) struct LedgerLockCommandTests {
    @Test func aLockedLedgerTableEndsTheRunWithStatus3NamingTheTableAndItsHolder() async throws {
        let (url, settings) = try await RobotCommandTests.freshURL()
        let steps = RobotProcess.steps("house-style")
        let first = try await RobotProcess.run(["run", steps], environment: ["DATABASE_URL": url])
        #expect(first.code == 0, "\(first.output)")
        var blocking = settings
        blocking.applicationName = "ledger-blocker"
        let blocker = try await DatabaseSession.connect(to: blocking, waitingUpTo: .seconds(5), logger: Logger(label: "test"))
        try await blocker.execute("BEGIN")
        try await blocker.execute("LOCK TABLE maintenance_robot.steps IN ACCESS EXCLUSIVE MODE")
        let blocked = try await RobotProcess.run(["run", steps, "--step-lock-timeout", "0.3"], environment: ["DATABASE_URL": url])
        try await blocker.execute("ROLLBACK")
        await blocker.close()
        #expect(blocked.code == 3, "\(blocked.output)")
        #expect(blocked.stderr.contains("maintenance_robot.steps") && blocked.stderr.contains("ledger-blocker"), "\(blocked.output)")
        #expect(blocked.stderr.contains("(--step-lock-timeout SECONDS)"), "\(blocked.output)")
        #expect(!blocked.stderr.contains("CREATE on the database"), "\(blocked.output)")
        #expect(!blocked.output.contains(RobotCommandTests.secret))
    }

    @Test func aDatabaseNotUpYetIsAnnouncedAtTheDefaultLogLevel() async throws {
        let port = try ThrowawayCluster.freePort()
        let url = "postgres://postgres:\(RobotCommandTests.secret)@127.0.0.1:\(port)/postgres?sslmode=disable"
        let result = try await RobotProcess.run(["run", RobotProcess.steps("house-style"), "--connect-timeout", "1"],
                                                environment: ["DATABASE_URL": url])
        #expect(result.code == 3, "\(result.output)")
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("database not reachable yet; waiting up to 1 s") }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(!result.output.contains(RobotCommandTests.secret))
    }
}
