import Foundation
import MaintenanceRobot
import RobotTestSupport
import RobotVerify
import Testing
@testable import robot

/// `robot verify --with-data`: the locks each upgrade step holds on tables with rows, and exactly the steps that
/// would block traffic on a live database.
@Suite(.timeLimit(.minutes(10))) struct LockVerifyTests {
    static let steps = VerifierTests.fixtures + "/live-locks"

    @Test func withDataListsExactlyTheStepsThatWouldBlockTraffic() async throws {
        let options = try await VerifierTests.options {
            $0.withData = true
            // Building the index takes three milliseconds a row (its key is slow on purpose), far longer than the
            // threshold; adding a nullable column, a seed and a concurrent build stay far below it, also in a full
            // parallel test run on two cores (seen there: half a second for the new column).
            $0.sampleRows = 1_000
            $0.blockThreshold = .milliseconds(1_500)
        }
        // On an executor of its own: how long a lock is held is timed by the robot's side of the session, which a full
        // parallel test run would otherwise keep waiting for a thread.
        let catalogue = try VerifierTests.catalogue("live-locks")
        let report = try await Task(executorPreference: DedicatedExecutor()) {
            try await Verifier(catalogue: catalogue, options: options).verify(logger: VerifierTests.quiet)
        }.value
        #expect(report.isProven, "\(report.scenarios.map(VerificationTextRenderer.progressLine))")
        let upgrade = try VerifierTests.scenario(report, .upgradePath)

        // Every step after the checkpoint ran on a table with rows; the concurrent build runs without a transaction,
        // so its locks are not read, and it rewrote nothing.
        #expect(upgrade.locks.map(\.position) == [3, 4, 5, 6, 8], "\(upgrade.locks.map(\.summary))")
        let index = try #require(upgrade.locks.first { $0.position == 4 }?.strongest)
        #expect(index.relation == "tenants" && index.strongestMode == .share && !index.rewritten && (index.heldMilliseconds ?? 0) > 1_500)
        #expect(upgrade.locks.first { $0.position == 6 }?.relations.allSatisfy { $0.modes == [.rowExclusive] } == true)

        #expect(report.blockingSteps.map(\.position) == [4, 5, 8], "\(VerificationTextRenderer.blockingSection(report) ?? "none")")
        #expect(report.blockingSteps.map(\.rule) == ["index-without-concurrently", "alter-column-type", "volatile-default"])
        #expect(report.blockingSteps.map(\.lock.rewritten) == [false, true, true])
        #expect(report.blockingSteps[0].location.hasSuffix("0004_index_store_name.sql:2:1"))
        #expect(report.blockingSteps[1].location.hasSuffix("0005_widen_score.sql:6:57"))
        #expect(report.blockingSteps[0].saferForm.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS"))
        #expect(report.blockingSteps[1].saferForm.contains("add a new column of the new type, backfill it"))
        #expect(report.blockingSteps[2].saferForm.contains("constant default"))

        let text = VerificationTextRenderer.summary(report)
        #expect(text.contains("would block traffic on a live database (SHARE or stronger held over 1500 ms on a table with rows, or a rewrite of one):"))
        #expect(text.contains("0005_widen_score.sql:6:57: step 5 \"Widen the tenants' score (v1.1 Update)\": AccessExclusiveLock on public.tenants, rewritten, held"))
        let decoded = try JSONDecoder().decode(VerificationReport.self, from: report.jsonData())
        #expect(decoded.blockingSteps == report.blockingSteps && decoded.scenarios == report.scenarios)
    }

    /// A concurrent build that failed in a step the robot does not repair leaves an INVALID index: the scenario
    /// fails and names it.
    @Test func anInvalidIndexFailsTheScenarioAndIsNamed() async throws {
        let report = try await Verifier(catalogue: VerifierTests.catalogue("invalid-index"), options: VerifierTests.options())
            .verify(logger: VerifierTests.quiet)
        let fresh = try VerifierTests.scenario(report, .freshInstall)
        #expect(!fresh.passed)
        #expect(fresh.invalidIndexes.map(\.description) == ["INVALID index public.codes_code_key on public.codes"])
        #expect(fresh.invalidIndexes.first?.step == "step 2 \"Make codes unique beside another statement (v1.0 Update)\"")
        #expect(VerificationTextRenderer.progressLine(fresh).contains("INVALID index public.codes_code_key on public.codes: a concurrent build that did not finish"))
    }

    @Test func theCommandWarnsUnlessStrictLocks() async throws {
        let url = try await TestCluster.cluster().url(database: "postgres")
        // A threshold no step reaches: only the two rewrites would block traffic.
        let arguments = ["--steps", Self.steps, "--database-url", url, "--with-data", "--rows", "100", "--block-threshold", "600000", "--json"]
        try await VerifyCommand.parse(arguments).run()
        await #expect { try await VerifyCommand.parse(arguments + ["--strict-locks"]).run() } throws: { ($0 as? robot.ExitStatus)?.code == 1 }
        #expect(throws: (any Error).self) { try VerifyCommand.parse(["--steps", Self.steps, "--strict-locks"]) }
        #expect(throws: (any Error).self) { try VerifyCommand.parse(["--steps", Self.steps, "--with-data", "--rows", "0"]) }
    }
}
