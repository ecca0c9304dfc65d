import Foundation
import Logging
import MaintenanceRobot
import RobotTestSupport
import RobotVerify
import Testing
@testable import robot

/// Catalogues built to fail each scenario in a known way, and catalogues that must pass, verified on the
/// test process's shared cluster (each verification makes and drops its own `verify_<run>_…` databases).
@Suite struct VerifierTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// Only critical messages: the expected step failures would otherwise fill the test output.
    static let quiet: Logger = {
        var logger = Logger(label: "verify-tests")
        logger.logLevel = .critical
        return logger
    }()

    static func catalogue(_ name: String) throws -> Catalogue {
        try StepDirectory.load(fixtures + "/" + name)
    }

    /// Options aimed at the shared test cluster.
    static func options(_ change: (inout VerifyOptions) -> Void = { _ in }) async throws -> VerifyOptions {
        let cluster = try await TestCluster.cluster()
        var options = VerifyOptions()
        options.target = .server(try ConnectionSettings(url: cluster.url(database: "postgres")))
        change(&options)
        return options
    }

    static func scenario(_ report: VerificationReport, _ kind: ScenarioResult.Kind) throws -> ScenarioResult {
        try #require(report.scenarios.first { $0.kind == kind })
    }

    @Test func nonIdempotentInsertFailsIdempotencyWithASeedDataDifference() async throws {
        let report = try await Verifier(catalogue: Self.catalogue("non-idempotent-insert"), options: Self.options()).verify(logger: Self.quiet)
        #expect(!report.isProven)
        #expect(try Self.scenario(report, .freshInstall).passed)
        let idempotency = try Self.scenario(report, .idempotency)
        #expect(!idempotency.passed)
        let difference = try #require(idempotency.differences.first)
        #expect(idempotency.differences.count == 1)
        #expect(difference.kind == "seed data" && difference.name == "settings")
        #expect(difference.expected?.hasPrefix("1 row, md5 ") == true)
        #expect(difference.actual?.hasPrefix("2 rows, md5 ") == true)
        #expect(difference.suspectSteps.contains("step 2 \"Seed the default prompt (v1.0 Update)\""))
    }

    @Test func guardedAlterWithTheWrongTypeFailsTheUpgradeFromTheOlderCatalogue() async throws {
        let older = try Self.catalogue("wrong-type-alter/old")
        let options = try await Self.options { $0.olderCatalogue = (older, "old steps") }
        let report = try await Verifier(catalogue: Self.catalogue("wrong-type-alter/current"), options: options).verify(logger: Self.quiet)
        let upgrade = try Self.scenario(report, .upgradeFromOlderCatalogue)
        #expect(!upgrade.passed)
        #expect(upgrade.stepFailures.isEmpty)
        #expect(upgrade.differences.map(\.description) == [
            "column tenants.total_tokens_used: fresh bigint NOT NULL DEFAULT 0 · upgraded from old steps: integer",
        ])
        #expect(upgrade.differences.first?.suspectSteps == [
            "step 1 \"Create tenants (v1.0 Update)\"", "step 2 \"Add token usage counter to tenants (v1.2 Update)\"",
        ])
        #expect(try Self.scenario(report, .freshInstall).passed)
        #expect(try Self.scenario(report, .idempotency).passed)
    }

    @Test func notNullColumnWithoutDefaultFailsOnlyOnAnUpgradeWithRows() async throws {
        let catalogue = try Self.catalogue("not-null-without-default")
        let withoutData = try await Verifier(catalogue: catalogue, options: Self.options()).verify(logger: Self.quiet)
        #expect(withoutData.isProven)
        let withData = try await Verifier(catalogue: catalogue, options: Self.options { $0.withData = true }).verify(logger: Self.quiet)
        let upgrades = withData.scenarios.filter { $0.kind == .upgradePath }
        #expect(upgrades.map(\.title) == ["upgrade from v1.0 (step 1) with sample rows", "upgrade from v1.1 (step 2) with sample rows"])
        #expect(!upgrades[0].passed)
        #expect(upgrades[0].stepFailures.count == 1)
        #expect(upgrades[0].stepFailures.first?.contains("step 2 \"Add plan to tenants (v1.1 Update)\" failed: ERROR 23502") == true)
        #expect(upgrades[1].passed)
    }

    @Test func seedNeedingARowOnlyNewInstallsHaveFailsTheUpgradeWithRows() async throws {
        let report = try await Verifier(catalogue: Self.catalogue("seed-needs-row"), options: Self.options { $0.withData = true }).verify(logger: Self.quiet)
        #expect(try Self.scenario(report, .freshInstall).passed)
        let fromV1 = try #require(report.scenarios.first { $0.title.hasPrefix("upgrade from v1.0") })
        #expect(!fromV1.passed)
        #expect(fromV1.stepFailures.count == 1)
        #expect(fromV1.stepFailures.first?.contains("step 3 \"Default plan setting (v1.1 Update)\" failed: ERROR 23502") == true)
    }

    @Test func enumValueAddedWithoutAGuardFailsIdempotency() async throws {
        let report = try await Verifier(catalogue: Self.catalogue("unguarded-enum-value"), options: Self.options()).verify(logger: Self.quiet)
        #expect(try Self.scenario(report, .freshInstall).passed)
        let idempotency = try Self.scenario(report, .idempotency)
        #expect(!idempotency.passed)
        #expect(idempotency.stepFailures.count == 1)
        #expect(idempotency.stepFailures.first?.contains("step 2 \"Add paused status (v1.1 Update)\" failed: ERROR 42710") == true)
    }

    @Test func houseStyleCataloguePassesEveryScenarioWithData() async throws {
        let report = try await Verifier(
            catalogue: Self.catalogue("house-style"), options: Self.options { $0.checkpoints = .every; $0.withData = true }
        ).verify(logger: Self.quiet)
        #expect(report.isProven, "\(report.scenarios.map(VerificationTextRenderer.progressLine))")
        #expect(report.checkpoints == Array(1...7))
        #expect(report.scenarios.count == 2 + 7)
        #expect(report.scenarios.allSatisfy { $0.notes.isEmpty })
    }

    @Test func demoCataloguePassesFromEveryStep() async throws {
        let report = try await Verifier(steps: DemoCatalogue.steps, options: Self.options { $0.checkpoints = .every }).verify(logger: Self.quiet)
        #expect(report.isProven, "\(report.scenarios.map(VerificationTextRenderer.progressLine))")
    }

    @Test func scratchDatabasesAreDroppedAndOthersLeftAlone() async throws {
        let bystander = try await TestCluster.freshDatabase()
        let report = try await Verifier(catalogue: Self.catalogue("non-idempotent-insert"), options: Self.options()).verify(logger: Self.quiet)
        let admin = try await DatabaseSession.connect(to: bystander.with(database: "postgres"), waitingUpTo: .seconds(10), logger: .init(label: "test"))
        let names = try await admin.execute("SELECT datname FROM pg_database").compactMap { $0.string("datname") }
        await admin.close()
        #expect(names.contains(bystander.database))
        #expect(report.scratchDatabasePrefix.hasPrefix("verify_"))
        #expect(!names.contains { $0.hasPrefix(report.scratchDatabasePrefix) })
    }
}
