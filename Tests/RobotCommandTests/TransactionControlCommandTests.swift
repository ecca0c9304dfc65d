import MaintenanceRobot
import RobotTestSupport
import Testing

/// `robot run` refuses a step that would commit half of itself, before it touches the database.
@Suite struct TransactionControlCommandTests {
    @Test func aStepThatCommitsHalfOfItselfIsRefusedWithExitTwoAndNothingRuns() async throws {
        let (url, settings) = try await RobotCommandTests.freshURL()
        let steps = RobotProcess.steps("half-commit")
        let result = try await RobotProcess.run(["run", steps], environment: ["DATABASE_URL": url])
        #expect(result.code == 2, "\(result.output)")
        #expect(result.stderr.contains("\(steps)/0001_half_commit.sql:3:1: COMMIT controls the transaction"), "\(result.output)")
        #expect(result.stderr.contains("nothing ran"), "\(result.output)")
        #expect(try await RobotCommandTests.value("SELECT count(*) FROM pg_class WHERE relname IN ('x1', 'x2')", on: settings) == "0")
        #expect(try await RobotCommandTests.value("SELECT to_regnamespace('maintenance_robot')::text", on: settings) == nil)
    }
}
