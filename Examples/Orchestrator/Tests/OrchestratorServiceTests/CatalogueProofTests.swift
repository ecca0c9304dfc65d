import Logging
import MaintenanceRobot
import OrchestratorService
import RobotLint
import RobotTestSupport
import RobotVerify
import Testing

/// The service's compiled-in steps keep the Omega protocol: statically, and on a real PostgreSQL.
@Suite struct CatalogueProofTests {
    @Test func catalogueLintsClean() throws {
        let diagnostics = Linter().lint(try Catalogue(OrchestratorSteps.all))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    }

    @Test func cataloguePassesVerifyFromEveryReleaseWithData() async throws {
        let cluster = try await TestCluster.cluster()
        var options = VerifyOptions()
        options.target = .server(try ConnectionSettings(url: cluster.url(database: "postgres")))
        options.withData = true
        let report = try await Verifier(steps: OrchestratorSteps.all, options: options)
            .verify(logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        #expect(report.isProven, "\(report.scenarios.map(VerificationTextRenderer.progressLine))")
        #expect(report.checkpoints.count >= 4, "one upgrade path per release before the last")
    }
}
