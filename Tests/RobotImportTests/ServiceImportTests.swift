import Foundation
import MaintenanceRobot
@testable import RobotImport
import Testing

/// `robot import` on a service in the shape of a real one: a FastAPI lifespan whose list mixes triple-quoted DO
/// blocks and one-line strings, numbered and unnumbered comments, a blank element, escapes, a raw string,
/// adjacent literals and line continuations.
@Suite struct ServiceImportTests {
    @Test func writesTheExpectedStepFilesByteForByte() throws {
        try Fixtures.withScratchDirectory { scratch in
            let directory = scratch + "/steps"
            let written = try StepListImport.read(Fixtures.service).write(into: directory)
            let expected = try Fixtures.files(in: Fixtures.serviceExpected)
            #expect(try Fixtures.files(in: directory) == expected)
            #expect(written.map { ($0.path as NSString).lastPathComponent } == expected)
            for name in expected {
                let actual = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
                let wanted = try Data(contentsOf: URL(fileURLWithPath: Fixtures.serviceExpected + "/" + name))
                #expect(actual == wanted, "\(name) differs:\n\(String(decoding: actual, as: UTF8.self))")
            }
        }
    }

    @Test func namesStepsAfterTheCommentDirectlyAboveElseTheGist() throws {
        let imported = try StepListImport.read(Fixtures.service)
        #expect(imported.steps.map(\.name) == [
            "Chat Tables",
            "Pre-clean Handoff Config (Drop if broken)",
            "Handoff Config",
            "Create type room_kind",
            "Settings",
            "Insert into app_settings",
            "Seed: export directory (Windows agents)",
            "Media on messages",
            // The comment above names only the first of the two elements below it.
            "Create index idx_chat_messages_media",
            "Add column contact_email to chat_rooms",
            "Room owner",
            "Owner index",
            "Create index idx_chat_messages_room",
            "Unique room titles",
            "updated_at trigger function",
            "Drop trigger trg_chat_rooms_touch",
            "Comment on table chat_rooms",
            "Create index idx_chat_messages_created",
            "Archived rooms",
        ])
        #expect(imported.steps.map(\.isNamedByComment) == [
            true, true, true, false, true, false, true, true, false, false, true, true, false, true, true, false, false, false, true,
        ])
        #expect(imported.steps.last?.notes == ["Rooms are archived, never deleted: their history stays."])
        #expect(imported.listLocation == PythonLocation(line: 25, column: 34))
        #expect(imported.steps.first?.location == PythonLocation(line: 27, column: 9))
    }

    @Test func skipsTheBlankElementAndSaysWhere() throws {
        let imported = try StepListImport.read(Fixtures.service)
        #expect(imported.skipped == [SkippedElement(location: PythonLocation(line: 77, column: 9), reason: .blank)])
    }

    @Test func keepsTheIndentationOnlyWhereDedentingWouldChangeAFunctionBody() throws {
        let imported = try StepListImport.read(Fixtures.service)
        #expect(imported.steps.filter(\.keepsIndentation).map(\.name) == ["updated_at trigger function"])
        // DO bodies are run once and kept nowhere: they are dedented.
        let doBlock = try #require(imported.steps.first { $0.name == "Unique room titles" })
        #expect(doBlock.sql.hasPrefix("DO $$\nBEGIN\n    IF NOT EXISTS"))
    }

    @Test func appendsToAnExistingStepDirectoryWithoutTouchingItsFiles() throws {
        try Fixtures.withScratchDirectory { scratch in
            let directory = scratch + "/steps"
            let first = try StepFileTemplate(name: "Existing step (v1.0 Update)").write(into: directory)
            let before = try Data(contentsOf: URL(fileURLWithPath: first))
            let written = try StepListImport.read(Fixtures.service).write(into: directory)
            #expect(written.first.map { ($0.path as NSString).lastPathComponent } == "0002_chat_tables.sql")
            #expect(written.last.map { ($0.path as NSString).lastPathComponent } == "0020_archived_rooms.sql")
            #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == before)
            // The directory stays a valid catalogue: the robot loads it, names from the headers.
            let catalogue = try StepDirectory.load(directory)
            #expect(catalogue.steps.count == 20)
            #expect(catalogue.steps[2].name == "Pre-clean Handoff Config (Drop if broken)")
        }
    }

    @Test func refusesABrokenStepDirectoryAndWritesNothing() throws {
        try Fixtures.withScratchDirectory { directory in
            try Data("SELECT 1;\n".utf8).write(to: URL(fileURLWithPath: directory + "/0002_gap.sql"))
            let error = try #require(throws: ImportError.self) { try StepListImport.read(Fixtures.service).write(into: directory) }
            #expect(error.problem == .stepDirectory([.missingNumbers([1], directory: directory)]))
            #expect(try Fixtures.files(in: directory) == ["0002_gap.sql"])
        }
    }

    @Test func readsAModuleLevelListOfAnotherName() throws {
        let imported = try StepListImport.read(Fixtures.path("module-level/db.py"), listName: "STARTUP_SQL")
        #expect(imported.steps.map(\.name) == ["Create extension pgcrypto", "Tenants", "Add column plan to tenants"])
        #expect(imported.steps.map(\.sql) == [
            "CREATE EXTENSION IF NOT EXISTS pgcrypto",
            "CREATE TABLE IF NOT EXISTS tenants (\n    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n    name text NOT NULL\n);\n",
            "ALTER TABLE tenants ADD COLUMN IF NOT EXISTS plan text NOT NULL DEFAULT 'free'",
        ])
        #expect(imported.skipped == [SkippedElement(location: PythonLocation(line: 12, column: 5), reason: .onlyComments)])
    }
}
