import Foundation
import MaintenanceRobot
import RobotDrift
import RobotTestSupport
import Testing
@testable import robot

/// Every kind of object the repair writes, taken away by hand and put back by the written step; and the kinds of
/// difference it leaves alone, listed in the step and left as they are.
@Suite struct BroadRepairTests {
    /// The broad catalogue applied, with a team and a ticket of the application's own.
    static func live(label: String = #function) async throws -> ConnectionSettings {
        let live = try await DriftFixtures.live("broad", label: label)
        try await DriftFixtures.execute([
            "INSERT INTO app.teams (slug, name) VALUES ('sales', 'Sales')",
            "INSERT INTO app.tickets (team_id, title) SELECT id, 'Quote for ACME' FROM app.teams WHERE slug = 'sales'",
        ], on: live)
        return live
    }

    @Test func whatWasTakenAwayIsPutBackByTheWrittenStep() async throws {
        let live = try await Self.live()
        try await DriftFixtures.execute([
            "DROP VIEW app.open_tickets",
            "DROP TRIGGER tickets_touch ON app.tickets",
            "DROP FUNCTION app.touch()",
            "DROP POLICY tickets_visible ON app.tickets",
            "ALTER TABLE app.tickets DISABLE ROW LEVEL SECURITY",
            "DROP TABLE app.labels",
            "DROP FUNCTION app.label_count(bigint)",
            "ALTER TABLE app.tickets DROP COLUMN priority",
            "ALTER TABLE app.tickets ALTER COLUMN state DROP DEFAULT",
            "ALTER TABLE app.tickets DROP CONSTRAINT tickets_title_check",
            "DELETE FROM app.teams WHERE slug = 'billing'",
        ], on: live)
        let report = try await DriftFixtures.check("broad", on: live)
        let kinds = Set(report.differences.map(\.difference.kind))
        #expect(kinds == ["view", "trigger", "function", "policy", "table", "sequence", "column", "constraint", "index", "seed row"])
        #expect(report.differences.allSatisfy { $0.notRepaired == nil }, "\(report.differences.filter { $0.notRepaired != nil })")
        #expect(report.differences.first { $0.difference.name == "app.tickets.state" }?.description
            == "column app.tickets.state: expected app.ticket_state NOT NULL DEFAULT 'open'::app.ticket_state · live: no default")

        let steps = try DriftFixtures.copy("broad")

        defer { try? FileManager.default.removeItem(atPath: steps) }
        let written = try report.repair.write(into: steps, name: "Repair drift (v1.3 Update)")
        let text = try DriftFixtures.text(written[0])
        #expect(text.contains("-- function bodies are checked when called, not when created\nSET LOCAL check_function_bodies = off;"))
        let findings = try DriftFixtures.lintFindings(of: written, in: steps)
        #expect(findings.isEmpty, "\(findings)")
        try await DriftFixtures.apply(steps, to: live)
        let after = try await DriftFixtures.check("broad", on: live)
        #expect(after.differences.map(\.description) == [])
        #expect(try await TestQueries.value("SELECT count(*) FROM app.tickets WHERE priority = 3", on: live) == "1")
        let scratch = try await DriftFixtures.scratchURL()
        try await VerifyCommand.parse(["--steps", steps, "--database-url", scratch, "--log-level", "error"]).run()
    }

    @Test func whatCannotBeRepairedSafelyIsListedInTheStepAndLeftAsItIs() async throws {
        let live = try await Self.live()
        try await DriftFixtures.execute([
            "ALTER TABLE app.teams ADD COLUMN legacy_flag boolean",
            "ALTER TABLE app.teams ALTER COLUMN name TYPE varchar(100)",
            "CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "UPDATE app.teams SET name = 'Customer support' WHERE slug = 'support'",
            "DROP INDEX app.tickets_team_idx",
        ], on: live)
        let report = try await DriftFixtures.check("broad", on: live)
        #expect(report.repair.statements.map(\.repairs) == ["index app.tickets_team_idx"])
        #expect(report.repair.notRepaired == [
            "column app.teams.legacy_flag: only in the live database; nothing is dropped",
            "column app.teams.name: its type differs: changing it rewrites the table and may fail or lose data, so write that step yourself",
            "seed row app.teams (slug = 'support'): the row differs from the catalogue's and is left as it is (it may have been changed on purpose); UPDATE it in a step of your own if the catalogue's values should win",
            "function app.touch(): its definition differs from the fresh install's; replacing it could undo a deliberate change: if the catalogue's should win, replace it (CREATE OR REPLACE) in a step of your own",
        ])
        #expect(report.differences.first { $0.difference.name == "app.teams.name" }?.liveSummary == "type character varying(100)")

        let steps = try DriftFixtures.copy("broad")

        defer { try? FileManager.default.removeItem(atPath: steps) }
        let written = try report.repair.write(into: steps, name: "Repair drift (v1.3 Update)")
        let text = try DriftFixtures.text(written[0])
        #expect(text.contains("-- Not repaired (drift adds what is missing; it never drops, rewrites or overwrites what exists):\n--   column app.teams.legacy_flag: "))
        let findings = try DriftFixtures.lintFindings(of: written, in: steps)
        #expect(findings.isEmpty, "\(findings)")
        try await DriftFixtures.apply(steps, to: live)

        let after = try await DriftFixtures.check("broad", on: live)
        #expect(after.repair.isEmpty)
        #expect(after.repair.notRepaired == report.repair.notRepaired)
        #expect(try await TestQueries.value("SELECT name FROM app.teams WHERE slug = 'support'", on: live) == "Customer support")
        #expect(try await TestQueries.value("SELECT prosrc FROM pg_proc WHERE proname = 'touch'", on: live) == " BEGIN RETURN NEW; END ")
    }
}

/// Names and values that need quoting — capitals, spaces, dots, double and single quotes, backslashes, dollar signs —
/// survive the repair: it runs, and the database then matches the fresh install.
@Suite struct QuotingRepairTests {
    @Test func namesAndValuesThatNeedQuotingAreRepaired() async throws {
        let live = try await DriftFixtures.live("odd-names")
        try await DriftFixtures.execute([
            #"ALTER TABLE "Sales Ops"."Odd ""Table""" DROP COLUMN "note$$""#,
            #"ALTER TABLE "Sales Ops"."Odd ""Table""" ALTER COLUMN "Code $drift$" DROP NOT NULL"#,
            #"DROP INDEX "Sales Ops"."Odd Index.1""#,
            #"DELETE FROM "Sales Ops"."Odd ""Table""""#,
            #"INSERT INTO "Sales Ops"."Odd ""Table""" ("Code $drift$") VALUES ('an application row')"#,
        ], on: live)
        let report = try await DriftFixtures.check("odd-names", on: live)
        #expect(report.groups.map(\.table) == [#""Sales Ops"."Odd ""Table""""#])
        #expect(report.differences.map(\.difference.kind).sorted() == ["column", "column", "index", "seed row"])
        #expect(report.differences.last?.difference.name == #""Sales Ops"."Odd ""Table""" ("Code $drift$" = E'O''Brien \\ $$')"#)
        #expect(report.differences.allSatisfy { $0.notRepaired == nil }, "\(report.differences.compactMap(\.notRepaired))")

        let steps = try DriftFixtures.copy("odd-names")

        defer { try? FileManager.default.removeItem(atPath: steps) }
        let written = try report.repair.write(into: steps, name: "Repair drift (v1.1 Update)")
        #expect(try DriftFixtures.text(written[0]).contains("DO $drift2$"), "the column's name holds $drift$")
        let findings = try DriftFixtures.lintFindings(of: written, in: steps)
        #expect(findings.isEmpty, "\(findings)")
        try await DriftFixtures.apply(steps, to: live)
        #expect(try await DriftFixtures.check("odd-names", on: live).differences.map(\.description) == [])
        #expect(try await TestQueries.value(#"SELECT "Kind" FROM "Sales Ops"."Odd ""Table""" WHERE "Code $drift$" LIKE 'O''Brien%'"#, on: live) == "tab\there")
    }
}
