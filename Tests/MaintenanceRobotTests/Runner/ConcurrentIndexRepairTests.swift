@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// A `-- robot:no-transaction` step of `CREATE INDEX CONCURRENTLY IF NOT EXISTS` after a build that did not finish.
@Suite(.timeLimit(.minutes(2))) struct ConcurrentIndexRepairTests {
    static let build = Step("Index plans by code (v1.0 Update)", transaction: false, sql: """
        SET lock_timeout = '3s';
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS plans_code_key ON plans (code);
        """)

    /// A table whose unique build fails on a duplicate, leaving an INVALID index, as an interrupted build does.
    static func withInvalidIndex(_ label: String = #function) async throws -> Scratch {
        let db = try await Scratch.make(label)
        _ = try await db.query("CREATE TABLE plans (id bigserial PRIMARY KEY, code text)")
        _ = try await db.query("INSERT INTO plans (code) VALUES ('free'), ('free'), ('pro')")
        await #expect(throws: (any Error).self) { _ = try await db.query("CREATE UNIQUE INDEX CONCURRENTLY plans_code_key ON plans (code)") }
        #expect(try await Self.validity(db) == "false")
        return db
    }

    /// `true`, `false`, or `nil` when there is no such index.
    static func validity(_ db: Scratch) async throws -> String? {
        try await db.value("SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('plans_code_key')")
    }

    @Test func theInvalidIndexIsDroppedAndBuiltAgain() async throws {
        let db = try await Self.withInvalidIndex()
        let status = try await Robot(catalogue: try Catalogue([Self.build])).status(on: db.settings)
        #expect(status.invalidIndexes == [InvalidIndex(schema: "public", name: "plans_code_key", table: "public.plans",
                                                       step: "step 1 \"Index plans by code (v1.0 Update)\"")])
        #expect(TextStatusRenderer.render(status).contains("INVALID index public.plans_code_key on public.plans"))

        _ = try await db.query("DELETE FROM plans WHERE id = 2")
        let logs = CapturedLogs()
        let report = try await db.run([Self.build], logger: logs.logger())
        #expect(report.steps[0].status == .applied, "\(report.steps[0].failure?.description ?? "")")
        #expect(try await Self.validity(db) == "true")
        #expect(logs.entries.contains { $0.message.hasPrefix("dropping an INVALID index") && $0.metadata["robot.index"] == "public.plans_code_key" })
        #expect(try await Robot(catalogue: try Catalogue([Self.build])).status(on: db.settings).invalidIndexes.isEmpty)
    }

    /// The build fails again (the duplicate is still there): the step fails, and the INVALID index it left is
    /// dropped rather than kept for writes to maintain.
    @Test func aBuildThatFailsLeavesNoInvalidIndex() async throws {
        let db = try await Self.withInvalidIndex()
        let report = try await db.run([Self.build])
        #expect(report.steps[0].status == .failed)
        #expect(report.steps[0].failure?.sqlState == "23505")
        #expect(report.steps[0].failure?.statement == 2)
        #expect(try await Self.validity(db) == nil)
    }

    @Test func aNameTakenByAnotherRelationFailsTheStepSayingSo() async throws {
        let db = try await Scratch.make()
        _ = try await db.query("CREATE TABLE plans (id bigserial PRIMARY KEY, code text)")
        _ = try await db.query("CREATE TABLE plans_code_key (id int)")
        let report = try await db.run([Self.build])
        #expect(report.steps[0].status == .failed)
        #expect(report.steps[0].failure?.message.contains("there is no index plans_code_key on plans after the step") == true,
                "\(report.steps[0].failure?.description ?? "")")
        #expect(report.steps[0].failure?.statement == 2)
        #expect(try await db.value("SELECT status FROM maintenance_robot.steps") == "failed")
    }
}
