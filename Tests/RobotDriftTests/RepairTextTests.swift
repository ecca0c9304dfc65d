import MaintenanceRobot
import Testing
@testable import RobotDrift

/// The pieces of repair SQL that must hold for any name or value, and the catalogue's conflict keys.
@Suite struct RepairTextTests {
    @Test(arguments: [
        (nil, "NULL"), ("tiktok", "'tiktok'"), ("it's", "'it''s'"), ("C:\\temp", "E'C:\\\\temp'"), ("a'\\b", "E'a''\\\\b'"),
    ] as [(String?, String)])
    func literalsQuoteAsPostgreSQLDoes(_ text: String?, _ literal: String) {
        #expect(RepairText.literal(text) == literal)
    }

    @Test func aDoBlockTakesADollarTagItsBodyDoesNotHold() {
        #expect(RepairText.doBlock(["RAISE NOTICE 'x';"]) == "DO $drift$\nBEGIN\n    RAISE NOTICE 'x';\nEND\n$drift$;")
        #expect(RepairText.doBlock(["PERFORM '$drift$';"]).hasPrefix("DO $drift2$\n"))
    }

    @Test func aCommentStaysOnItsLine() {
        #expect(RepairText.comment("view v: AS SELECT 1\nFROM t; DROP TABLE t") == "-- view v: AS SELECT 1 FROM t; DROP TABLE t")
    }

    @Test func concurrentIndexStepsAreNamedBeforeTheVersionTag() {
        #expect(RepairSQL.name("Repair drift (v1.3 Update)", adding: "index tickets_idx") == "Repair drift, index tickets_idx (v1.3 Update)")
        #expect(RepairSQL.name("Repair drift", adding: "index tickets_idx") == "Repair drift, index tickets_idx")
    }

    @Test func quotedNamesSplitAtTheirDotsOnly() {
        #expect(QualifiedName.parts(of: "app.\"odd.\"\"name\"\"\".col") == ["app", "odd.\"name\"", "col"])
        #expect(ConflictTargets.unquoted("\"Tickets\"") == "Tickets")
    }

    @Test func conflictTargetsAreReadFromStatementsAndDoBlocks() throws {
        let catalogue = try Catalogue([
            Step("Seed (v1.0 Update)", sql: """
                INSERT INTO providers (slug, name) VALUES ('a', 'A') ON CONFLICT (slug) DO NOTHING;
                DO $$
                BEGIN
                    INSERT INTO app.kinds AS k (code) VALUES ('x') ON CONFLICT (code, "Region") DO NOTHING;
                END
                $$;
                """),
        ])
        let targets = ConflictTargets.scan(catalogue)
        #expect(targets["providers"] == [["slug"]])
        #expect(targets["app.kinds"] == [["code", "Region"]])
    }
}
