import Foundation
import MaintenanceRobot
@testable import robot
import RobotLint
import Testing

@Suite struct LinterTests {
    /// 120 steps in the house style, from a few templates: no false positive.
    @Test func houseStyleCatalogueOfManyStepsIsClean() throws {
        let steps = (1...120).map { number in
            Step("Step \(number) (v1.\(number / 10) Update)", sql: HouseStyle.sql(number), fileID: "HouseStyle.swift", line: UInt(number))
        }
        let diagnostics = Linter().lint(try Catalogue(steps))
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(5).map(TextRenderer.line))")
    }

    @Test func demoCatalogueIsClean() throws {
        try Linter().check(Catalogue(DemoCatalogue.steps))
        #expect(Linter().lint(try Catalogue(DemoCatalogue.steps)).isEmpty)
    }

    @Test func newStepTemplateIsClean() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("robot-lint-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try StepFileTemplate(name: "Add owner email (v1.1 Update)").write(into: directory)
        _ = try StepFileTemplate(name: "Build index (v1.1 Update)", isCritical: true, runsInTransaction: false).write(into: directory)
        #expect(try Linter().lint(directory: directory).isEmpty)
    }

    @Test func checkThrowsListingTheErrors() throws {
        let catalogue = try Catalogue([Step("Seed (v1.0 Update)", sql: "INSERT INTO t VALUES (1);\nTRUNCATE u;", fileID: "Steps.swift", line: 40)])
        #expect(throws: LintError.self) { try Linter().check(catalogue) }
        do {
            try Linter().check(catalogue)
        } catch {
            #expect(error.diagnostics.map(\.ruleID) == ["insert-without-on-conflict"])
            #expect(error.description.contains("Steps.swift:40 (SQL 1:1): error[insert-without-on-conflict]"))
        }
    }

    @Test func positionsInsideDoBlocksOfSwiftStepsAreExact() throws {
        let sql = "SELECT 1;\n  do $body$\n  begin\n\tif true then INSERT INTO t VALUES ('é;'); end if;\n  end $body$;"
        let diagnostics = Linter().lint(try Catalogue([Step("Seed", sql: sql, fileID: "Steps.swift", line: 7)]))
        #expect(diagnostics.map(\.sqlLocation) == ["4:15"])
        #expect(diagnostics.first?.place == "Steps.swift:7 (SQL 4:15)")
    }

    @Test func lexingErrorInsideADoBodyIsReportedWhereItOpens() throws {
        let sql = "SELECT 1;\nDO $$\nBEGIN\n  RAISE NOTICE 'oops;\nEND $$;"
        let diagnostics = Linter().lint(try Catalogue([Step("Broken", sql: sql, fileID: "Steps.swift", line: 9)]))
        #expect(diagnostics.map(\.ruleID) == ["lexing-error"])
        #expect(diagnostics.map(\.sqlLocation) == ["4:16"])
    }

    @Test func swiftStepTheLexerCannotReadIsALexingError() throws {
        let diagnostics = try Linter().lint(steps: [Step("Broken", sql: "SELECT 1;\nSELECT $$never closed;", fileID: "Steps.swift", line: 12)])
        #expect(diagnostics.map(\.ruleID) == ["lexing-error"])
        #expect(diagnostics.first?.place == "Steps.swift:12 (SQL 2:8)")
        #expect(throws: CatalogueError.self) { try Linter().lint(steps: []) }
    }

    @Test func suppressionWithReasonSilencesOnlyItsRule() throws {
        let sql = "-- robot:allow truncate sessions are rebuilt on login\nTRUNCATE sessions;\nTRUNCATE carts;"
        let diagnostics = Linter().lint(try Catalogue([Step("Reset", sql: sql)]))
        #expect(diagnostics.map(\.sqlLocation) == ["3:1"])
    }

    @Test func onlyTheChosenRulesRun() throws {
        let catalogue = try Catalogue([Step("Reset", sql: "TRUNCATE sessions; DELETE FROM t;")])
        #expect(Linter(rules: [.truncate]).lint(catalogue).map(\.ruleID) == ["truncate"])
    }

    @Test func lockFileRoundTripsAndMatchesItsCatalogue() throws {
        let catalogue = try Catalogue([Step("A", sql: "SELECT 1;"), Step("B", sql: "SELECT 2;")])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("robot-\(UUID().uuidString).lock").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try LockFile(catalogue: catalogue).write(to: path)
        let lock = try LockFile.read(path)
        #expect(lock == LockFile(catalogue: catalogue))
        #expect(Linter().lint(catalogue, lock: lock).isEmpty)
        let edited = try Catalogue([Step("A", sql: "SELECT 10;"), Step("B", sql: "SELECT 2;")])
        #expect(Linter().lint(edited, lock: lock).map(\.ruleID) == ["applied-step-edited"])
    }
}

/// Step SQL in the house style: what a real catalogue of an idempotent service looks like.
enum HouseStyle {
    static func sql(_ number: Int) -> String {
        let table = "table_\(number % 30)"
        switch number % 6 {
        case 0:
            return "CREATE TABLE IF NOT EXISTS \(table) (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX IF NOT EXISTS \(table)_created_at_idx ON \(table) (created_at);\n"
        case 1:
            return "ALTER TABLE \(table) ADD COLUMN IF NOT EXISTS column_\(number) text;\nALTER TABLE \(table) ADD COLUMN IF NOT EXISTS at_\(number) timestamptz DEFAULT now();\n"
        case 2:
            return "INSERT INTO settings (key, value) VALUES ('key_\(number)', 'value; with ''quotes''') ON CONFLICT (key) DO NOTHING;\n"
        case 3:
            return """
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE typname = 'kind_\(number)') THEN
                        CREATE TYPE kind_\(number) AS ENUM ('a', 'b');
                    END IF;
                END
                $$;
                """
        case 4:
            return """
                CREATE OR REPLACE FUNCTION touch_\(number)() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    NEW.updated_at := now(); -- keep; it's "fresh"
                    EXECUTE $q$SELECT 1$q$;
                    RETURN NEW;
                END
                $fn$;
                DROP TRIGGER IF EXISTS touch_\(number) ON \(table);
                CREATE TRIGGER touch_\(number) BEFORE UPDATE ON \(table) FOR EACH ROW EXECUTE FUNCTION touch_\(number)();
                """
        default:
            return """
                DO $$
                BEGIN
                    ALTER TABLE \(table) ADD CONSTRAINT \(table)_check_\(number) CHECK (id > 0) NOT VALID;
                EXCEPTION
                    WHEN duplicate_object THEN
                        RAISE NOTICE 'constraint exists';
                END
                $$;
                UPDATE \(table) SET name = trim(name) WHERE name <> trim(name);
                """
        }
    }
}
