import Foundation
@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// What the catalogue refuses or accepts so that steps cannot hurt each other: transaction control in a
/// transactional step, and directives read by the lexer.
@Suite struct StepIsolationCatalogueTests {
    @Test func transactionControlInATransactionalStepIsRefusedWhereItIs() throws {
        let directory = Fixtures.catalogue("transaction-control")
        let error = try #require(throws: CatalogueError.self) { try StepDirectory.load(directory) }
        let places = error.problems.map { problem -> String in
            guard case .transactionControl(let place, let statement) = problem else { return "other: \(problem)" }
            return "\(place.dropFirst(directory.count + 1)) \(statement)"
        }
        #expect(places == [
            "0001_half_commit.sql:2:26 COMMIT",
            "0002_do_block.sql:5:5 ROLLBACK",
            "0003_savepoint.sql:2:1 SAVEPOINT",
            "0003_savepoint.sql:4:1 RELEASE",
        ])
        #expect(error.description.contains("mark the step -- robot:no-transaction"), "\(error)")
    }

    @Test func stepsDeclaredInSwiftAreRefusedToo() throws {
        let error = try #require(throws: CatalogueError.self) {
            try Catalogue([Step("Work in two halves", sql: "CREATE TABLE IF NOT EXISTS a (id int);\nEND;")])
        }
        #expect(error.problems.count == 1)
        #expect(error.description.contains("(SQL 2:1): END controls the transaction"), "\(error)")
        // Outside a transaction, a DO block may commit.
        _ = try Catalogue([Step("Batches", transaction: false, sql: "DO $$ BEGIN COMMIT; END $$;")])
    }

    @Test func aRefusedCatalogueRunsNothing() async throws {
        let settings = try await TestCluster.freshDatabase()
        let robot = Robot(stepDirectory: Fixtures.catalogue("transaction-control"))
        await #expect {
            try await robot.run(on: settings, logger: .init(label: "test"))
        } throws: { error in
            guard case RobotError.catalogue(let catalogue) = error else { return false }
            return catalogue.problems.count == 4
        }
        #expect(try await TestQueries.value("SELECT count(*) FROM pg_class WHERE relname IN ('x1', 'x2', 'x3', 'x4')", on: settings) == "0")
        #expect(try await TestQueries.value("SELECT to_regnamespace('maintenance_robot')::text", on: settings) == nil)
    }

    @Test func directiveShapedTextInLiteralsAndBlockCommentsIsNoDirective() throws {
        let step = try #require(try StepDirectory.load(Fixtures.catalogue("directive-in-literal")).steps.first)
        #expect(step.name == "Seed the help text (v1.0 Update)")
        #expect(!step.isCritical)
        #expect(step.runsInTransaction)
        #expect(step.statements.count == 3)
    }

    @Test func aDirectiveAfterTheFirstStatementIsStillMisplaced() throws {
        let directory = Fixtures.catalogue("misplaced-directive")
        let error = try #require(throws: CatalogueError.self) { try StepDirectory.load(directory) }
        #expect(error.problems.map(\.description) == [
            "\(directory)/0001_a.sql:3: 'robot:critical' must be in the comment header at the top of the file, before any SQL",
        ])
    }
}
