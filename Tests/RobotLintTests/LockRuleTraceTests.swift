import Foundation
import Logging
import MaintenanceRobot
import RobotLint
import RobotTestSupport
import Testing

/// The traced locks are the truth: every lock rule's bad fixture runs on a populated table, and the lock the run
/// records on the relation lint names is the lock lint names.
@Suite(.timeLimit(.minutes(5))) struct LockRuleTraceTests {
    /// The rules whose findings name a lock.
    static let lockRules = Rule.allCases.filter(\.namesALock)

    /// Live tables with rows, counted, as the fixtures expect them.
    static let populate = [
        "CREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL)",
        "INSERT INTO plans VALUES (1, 'free'), (2, 'pro'), (3, 'team')",
        """
        CREATE TABLE tenants (id bigserial PRIMARY KEY, store_name text, owner_email text, plan_id bigint, plan text, score integer)
        """,
        "INSERT INTO tenants (store_name, plan_id, score) SELECT 'store ' || g, 1 + g % 3, g FROM generate_series(1, 2000) AS g",
        "ANALYZE plans",
        "ANALYZE tenants",
    ]

    @Test func everyRuleThatNamesALockIsTraced() throws {
        for rule in Rule.allCases {
            let names = try Fixtures.lint("rules/\(rule.id)/bad").contains { $0.ruleID == rule.id && $0.lock != nil }
            #expect(names == Self.lockRules.contains(rule), "\(rule.id)")
        }
    }

    @Test(arguments: lockRules)
    func theLockLintNamesIsTheLockTheRunRecords(rule: Rule) async throws {
        let directory = Fixtures.path("rules/\(rule.id)/bad")
        let findings = try Linter().lint(directory: directory).filter { $0.ruleID == rule.id }
        #expect(!findings.isEmpty)
        let settings = try await TestCluster.freshDatabase("trace_\(rule.id)")
        for statement in Self.populate { _ = try await TestQueries.rows(statement, on: settings) }
        let catalogue = try StepDirectory.load(directory)
        let observed = try await Self.run(catalogue, on: settings, watching: findings)
        for finding in findings {
            let effect = try #require(finding.lock)
            let outcome = try #require(observed.report.steps.first { $0.id == finding.stepID })
            #expect(outcome.status == .applied, "\(outcome.failure?.description ?? "")")
            let relation = try #require(outcome.locks?.relations.first { $0.schema == "public" && $0.relation == effect.relation },
                                        "\(finding.place): no lock recorded on \(effect.relation): \(String(describing: outcome.locks))")
            if outcome.locks?.unobserved == nil {
                #expect(relation.strongestMode == effect.mode, "\(finding.place): lint names \(effect.mode), the run recorded \(relation.modes)")
            } else {
                #expect(observed.waitedFor == effect.mode, "\(finding.place): lint names \(effect.mode), the statement waited for \(String(describing: observed.waitedFor))")
            }
            if let rewrites = effect.rewritesTable {
                #expect(relation.rewritten == rewrites, "\(finding.place): lint says rewrites \(rewrites)")
            }
            #expect(relation.wasPopulated)
        }
    }

    /// Runs the catalogue. A step without a transaction releases its locks before the robot can read them: for
    /// those, another session holds the table while the step starts, and the mode the step waits for is read from
    /// `pg_locks`.
    static func run(_ catalogue: Catalogue, on settings: ConnectionSettings, watching findings: [Diagnostic])
        async throws -> (report: RunReport, waitedFor: LockMode?) {
        var configuration = RobotConfiguration()
        configuration.stepLockTimeout = .seconds(60)
        let robot = Robot(catalogue: catalogue, configuration: configuration)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        guard catalogue.steps.contains(where: { !$0.runsInTransaction }), let table = findings.first?.lock?.relation else {
            return (try await robot.run(on: settings, logger: logger), nil)
        }
        let holder = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: logger)
        try await holder.execute("BEGIN")
        try await holder.execute("SELECT count(*) FROM \(table)")
        let running = Task { try await robot.run(on: settings, logger: logger) }
        var waitedFor: LockMode?
        let deadline = ContinuousClock.now + .seconds(60)
        while waitedFor == nil, ContinuousClock.now < deadline {
            waitedFor = try await TestQueries.value(
                "SELECT mode FROM pg_locks WHERE relation = to_regclass('\(table)') AND NOT granted", on: settings
            ).flatMap(LockMode.init(rawValue:))
            try await Task.sleep(for: .milliseconds(50))
        }
        try await holder.execute("COMMIT")
        await holder.close()
        return (try await running.value, waitedFor)
    }
}
