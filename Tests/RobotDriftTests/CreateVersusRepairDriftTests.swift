import Foundation
import MaintenanceRobot
import RobotDrift
import RobotTestSupport
import Testing
@testable import robot

/// The drift the issue starts from: an older release created `tickets` without `priority` (NOT NULL) and the foreign
/// key `owner_id`; the current CREATE TABLE has both, and a repair step adds them to older databases nullable and
/// without the key. `robot verify` of the current catalogue alone passes; only the live database shows it.
@Suite struct CreateVersusRepairDriftTests {
    /// A database built by the older release, holding rows, then upgraded with the current catalogue.
    static func upgradedDatabase(label: String = #function) async throws -> ConnectionSettings {
        let live = try await DriftFixtures.live("create-vs-repair/old", label: label)
        try await DriftFixtures.execute([
            "INSERT INTO users (email) VALUES ('ana@example.com')",
            "INSERT INTO tickets (title) VALUES ('Printer jams'), ('VPN down')",
        ], on: live)
        try await DriftFixtures.apply("create-vs-repair/current", to: live)
        return live
    }

    @Test func theUpgradedDatabaseIsReportedWithBothDifferences() async throws {
        let live = try await Self.upgradedDatabase()
        let report = try await DriftFixtures.check("create-vs-repair/current", on: live)
        #expect(report.hasDrift)
        #expect(report.groups.map(\.table) == ["tickets"])
        #expect(report.differences.map(\.description) == [
            "column tickets.priority: expected text NOT NULL DEFAULT 'normal'::text · live: nullable",
            "constraint tickets.tickets_owner_id_fkey: expected FOREIGN KEY (owner_id) REFERENCES users(id) · live: missing",
        ])
        #expect(report.differences.map(\.difference.suspectSteps) == [
            ["step 1 \"Create users and tickets (v1.0 Update)\"", "step 2 \"Add priority and owner to tickets (v1.1 Update)\""],
            ["step 1 \"Create users and tickets (v1.0 Update)\""],
        ])
        #expect(report.differences.allSatisfy { !$0.repairs.isEmpty && $0.notRepaired == nil })
        #expect(report.notes.isEmpty, "the ledger records every step as applied")
        #expect(report.repair.statements.map(\.repairs) == [
            "NOT NULL of column tickets.priority", "constraint tickets.tickets_owner_id_fkey",
        ])
    }

    @Test func theWrittenStepIsAppliedByRunAndVerifies() async throws {
        let live = try await Self.upgradedDatabase()
        let steps = try DriftFixtures.copy("create-vs-repair/current")
        defer { try? FileManager.default.removeItem(atPath: steps) }
        let scratch = try await DriftFixtures.scratchURL()
        let drift = [steps, "--database-url", live.description, "--scratch-url", scratch, "--log-level", "error"]
        await #expect { try await DriftCommand.parse(drift).run() } throws: { ($0 as? robot.ExitStatus)?.code == 1 }
        #expect(try StepDirectory.stepFileNames(in: steps).count == 2, "drift without --write-step writes nothing")

        await #expect { try await DriftCommand.parse(drift + ["--write-step", "Repair drift (v1.2 Update)"]).run() } throws: {
            ($0 as? robot.ExitStatus)?.code == 1
        }
        let written = steps + "/0003_repair_drift.sql"
        let text = try DriftFixtures.text(written)
        #expect(text.hasPrefix("-- robot:name Repair drift (v1.2 Update)\n--\n"))
        #expect(text.contains("ALTER TABLE public.tickets ALTER COLUMN priority SET NOT NULL;"))
        #expect(text.contains("ADD CONSTRAINT tickets_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users(id) NOT VALID;"))
        #expect(text.contains("ALTER TABLE public.tickets VALIDATE CONSTRAINT tickets_owner_id_fkey;"))
        let findings = try DriftFixtures.lintFindings(of: [written], in: steps)
        #expect(findings.isEmpty, "\(findings)")

        try await RunCommand.parse([steps, "--database-url", live.description, "--log-level", "error"]).run()
        try await DriftCommand.parse(drift).run()
        try await VerifyCommand.parse(["--steps", steps, "--database-url", scratch, "--log-level", "error"]).run()
        #expect(try await TestQueries.value("SELECT count(*) FROM tickets WHERE priority = 'normal'", on: live) == "2")
    }

    @Test func notNullBlockedByRowsHoldingNullIsLeftWithTheirCount() async throws {
        let live = try await Self.upgradedDatabase()
        try await DriftFixtures.execute(["UPDATE tickets SET priority = NULL WHERE title = 'VPN down'"], on: live)
        let report = try await DriftFixtures.check("create-vs-repair/current", on: live)
        let priority = try #require(report.differences.first { $0.difference.name == "tickets.priority" })
        #expect(priority.repairs.isEmpty)
        #expect(priority.notRepaired == "NOT NULL is not set: 1 row holds NULL in it; fill them (UPDATE public.tickets SET priority = … WHERE priority IS NULL), then run drift again")
        #expect(report.repair.statements.map(\.repairs) == ["constraint tickets.tickets_owner_id_fkey"])
        let body = try #require(report.repair.transactionalSQL)
        #expect(body.contains("--   column tickets.priority: NOT NULL is not set: 1 row holds NULL in it;"))
    }

    @Test func aMissingColumnThatCreateTableDeclaresIsAddedAndLintsClean() async throws {
        let live = try await Self.upgradedDatabase()
        try await DriftFixtures.execute(["ALTER TABLE tickets DROP COLUMN priority"], on: live)
        let report = try await DriftFixtures.check("create-vs-repair/current", on: live)
        let priority = try #require(report.differences.first { $0.difference.name == "tickets.priority" })
        #expect(priority.description == "column tickets.priority: expected text NOT NULL DEFAULT 'normal'::text · live: missing")
        #expect(priority.repairs == ["ADD COLUMN IF NOT EXISTS"])
        let steps = try DriftFixtures.copy("create-vs-repair/current")
        defer { try? FileManager.default.removeItem(atPath: steps) }
        let written = try report.repair.write(into: steps, name: "Repair drift (v1.2 Update)")
        #expect(try DriftFixtures.text(written[0]).contains("ALTER TABLE public.tickets ADD COLUMN IF NOT EXISTS priority text DEFAULT 'normal'::text NOT NULL;"))
        // Step 1's CREATE TABLE spells the default 'normal': the written column carries its suppression.
        let findings = try DriftFixtures.lintFindings(of: written, in: steps)
        #expect(findings.isEmpty, "\(findings)")
        try await DriftFixtures.apply(steps, to: live)
        #expect(try await DriftFixtures.check("create-vs-repair/current", on: live).hasDrift == false)
    }
}
