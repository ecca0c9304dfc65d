@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// The ledger's own version: a version-1 ledger (no `steps.locks`) is upgraded under the robot's lock, and a robot
/// refuses a ledger newer than it knows.
@Suite(.timeLimit(.minutes(2))) struct LedgerUpgradeTests {
    static let first = Step("Create tenants table (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY);")
    static let second = Step("Add store name (v1.0 Update)", sql: "ALTER TABLE tenants ADD COLUMN IF NOT EXISTS store_name text;")

    /// The ledger as a robot of version 1 left it.
    static func makeVersionOne(_ db: Scratch) async throws {
        _ = try await db.run([first])
        for statement in [
            "ALTER TABLE maintenance_robot.steps DROP COLUMN locks",
            "DROP FUNCTION maintenance_robot.step_locks(oid)",
            "DROP FUNCTION maintenance_robot.step_begin(integer)",
            "DROP FUNCTION maintenance_robot.step_applied(text, integer, text, text, text, oid)",
            "UPDATE maintenance_robot.meta SET value = '1' WHERE key = 'ledger_version'",
        ] { _ = try await db.query(statement) }
    }

    @Test func aVersionOneLedgerIsUpgradedOnceAndRecordsLocksFromThen() async throws {
        let db = try await Scratch.make()
        try await Self.makeVersionOne(db)
        let report = try await db.run([Self.first, Self.second])
        #expect(report.steps.map(\.status) == [.skipped, .applied])
        #expect(report.steps[1].locks?.strongestOnPopulated == nil)
        #expect(report.steps[1].locks?.relations.first?.strongestMode == .accessExclusive)
        #expect(try await db.value("SELECT value FROM maintenance_robot.meta WHERE key = 'ledger_version'") == "2")
        #expect(try await db.query("SELECT id, locks IS NULL FROM maintenance_robot.steps ORDER BY id") == [["0001", "true"], ["0002", "false"]])

        // Upgrading again (every run with work creates the ledger) changes nothing.
        let healed = try await db.run([Self.first, Self.second]) { $0.mode = .heal }
        #expect(healed.count(.healed) == 2)
        #expect(try await db.value("SELECT value FROM maintenance_robot.meta WHERE key = 'ledger_version'") == "2")
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.steps WHERE locks IS NULL") == "0")
    }

    @Test func aRobotRefusesALedgerNewerThanItKnows() async throws {
        // A robot of version 1 reads the upgraded ledger's version and refuses it, as it refuses any newer one.
        #expect(throws: RobotError.self) { try Ledger.checkReadable(version: "2", schema: .standard, supported: 1) }
        #expect(throws: Never.self) { try Ledger.checkReadable(version: "1", schema: .standard, supported: 1) }

        let db = try await Scratch.make()
        _ = try await db.run([Self.first])
        _ = try await db.query("UPDATE maintenance_robot.meta SET value = '3' WHERE key = 'ledger_version'")
        await #expect {
            _ = try await db.run([Self.first, Self.second])
        } throws: { error in
            guard case RobotError.ledgerTooNew(_, "3", 2) = error else { return false }
            return true
        }
        #expect(try await db.value("SELECT count(*) FROM maintenance_robot.steps") == "1")
    }
}
