import MaintenanceRobot
import RobotVerify
import Testing

/// A step's session setting reaches no later step, so fresh and upgraded databases end alike.
@Suite struct SessionLeakVerifyTests {
    @Test func aSearchPathSetInAnEarlierReleaseLeavesFreshAndUpgradedDatabasesEqual() async throws {
        let report = try await Verifier(catalogue: VerifierTests.catalogue("session-leak"), options: VerifierTests.options())
            .verify(logger: VerifierTests.quiet)
        #expect(report.isProven, "\(report.scenarios.map(VerificationTextRenderer.progressLine))")
        #expect(try VerifierTests.scenario(report, .upgradePath).passed)
    }
}
