import Foundation
@testable import MaintenanceRobot
import Testing

@Suite struct StepDirectoryTests {
    @Test func loadsStepsInOrderWithTheirHeaders() throws {
        let catalogue = try StepDirectory.load(Fixtures.catalogue("valid"))
        #expect(catalogue.steps.map(\.id) == ["0001_create_tenants", "0002_seed_settings", "0003_add_owner_email"])
        #expect(catalogue.steps.map(\.position) == [1, 2, 3])
        #expect(catalogue.steps[0].name == "Create tenants table (v1.0 Update)")
        #expect(catalogue.steps[0].isCritical)
        #expect(catalogue.steps[0].runsInTransaction)
        #expect(catalogue.steps[1].statements.count == 2)
        #expect(catalogue.steps[2].name == "Add owner email", "without robot:name the slug names the step")
        #expect(!catalogue.steps[2].runsInTransaction)
        #expect(catalogue.steps[0].versionTag == VersionTag(stepName: "(v1.0)"))
        #expect(catalogue.versionTags.map(\.description) == ["v1.0"])
    }

    @Test(arguments: [
        ("gap", "step numbers 2, 4 are missing"),
        ("duplicate", "step number 2 is used by 2 files"),
        ("stray", "README.md: not a step file"),
        ("stray", "0002_folder.sql: not a step file"),
        ("not-utf8", "0002_latin1.sql:3: not valid UTF-8"),
        ("empty-step", "the step has no SQL statement"),
        ("unterminated", "0001_open_dollar.sql:2:4"),
        ("unknown-directive", "0001_a.sql:2: unknown directive 'robot:critcal'"),
        ("misplaced-directive", "0001_a.sql:3: 'robot:critical' must be in the comment header"),
        ("does-not-exist", "no such step directory"),
    ])
    func brokenCataloguesNameTheFileAndWhatToDo(fixture: String, expected: String) throws {
        let error = try #require(throws: CatalogueError.self) { try StepDirectory.load(Fixtures.catalogue(fixture)) }
        #expect(error.description.contains(expected), "\(error.description)")
        #expect(error.description.contains("nothing ran"))
    }

    @Test(arguments: [
        (2, "'Robot:critical'", "-- robot:critical"), (3, "'ROBOT:critical'", "-- robot:critical"),
        (4, "'robot :critical'", "-- robot:critical"), (5, "'robot:Critical'", "-- robot:critical"),
        (6, "'robot: no-transaction'", "-- robot:no-transaction"),
    ])
    func directivesWithTheWrongCaseOrSpacingAreErrors(line: Int, written: String, spelling: String) throws {
        let error = try #require(throws: CatalogueError.self) { try StepDirectory.load(Fixtures.catalogue("misspelled-directive")) }
        let problem = try #require(error.problems.first { $0.description.contains("0001_failing.sql:\(line):") }, "\(error)")
        #expect(problem.description.contains(written), "\(problem)")
        #expect(problem.description.contains("write '\(spelling)'"), "\(problem)")
        #expect(error.problems.count == 5, "a comment that only mentions robots, and text in a string, are no directives: \(error)")
    }

    @Test func checksumIgnoresLineEndingsTrailingWhitespaceAndComments() throws {
        let crlf = try StepDirectory.load(Fixtures.catalogue("crlf")).steps[0]
        #expect(crlf.name == "CRLF file", "the header ends at the first CRLF line break")
        let plain = try Catalogue([Step("x", sql: """
            -- a different comment
            CREATE TABLE IF NOT EXISTS crlf_table (id int);
            INSERT INTO crlf_table VALUES (1)
               ON CONFLICT DO NOTHING;
            """)]).steps[0]
        #expect(crlf.checksum == plain.checksum)
        let edited = try Catalogue([Step("x", sql: """
            CREATE TABLE IF NOT EXISTS crlf_table (id bigint);
            INSERT INTO crlf_table VALUES (1) ON CONFLICT DO NOTHING;
            """)]).steps[0]
        #expect(edited.checksum != plain.checksum)
    }

    @Test func newStepFilesAreNumberedAfterTheLastAndLexClean() throws {
        let directory = NSTemporaryDirectory() + "robot-new-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try StepFileTemplate(name: "Create tenants table (v1.0 Update)", isCritical: true).write(into: directory)
        let second = try StepFileTemplate(name: "Add owner's e-mail!", runsInTransaction: false).write(into: directory)
        #expect(first.hasSuffix("/0001_create_tenants_table.sql"))
        #expect(second.hasSuffix("/0002_add_owner_s_e_mail.sql"))
        let catalogue = try StepDirectory.load(directory)
        #expect(catalogue.steps.map(\.name) == ["Create tenants table (v1.0 Update)", "Add owner's e-mail!"])
        #expect(catalogue.steps[0].isCritical && !catalogue.steps[1].runsInTransaction)
        #expect(catalogue.steps[1].statements.count == 1)
    }

    @Test func aSpecialFileNamedLikeAStepIsRefusedWithoutWaiting() throws {
        let directory = NSTemporaryDirectory() + "robot-fifo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "SELECT 1;".write(toFile: directory + "/0001_first.sql", atomically: true, encoding: .utf8)
        #expect(mkfifo(directory + "/0002_pipe.sql", 0o644) == 0)
        let error = try #require(throws: CatalogueError.self) { try StepDirectory.load(directory) }
        #expect(error.description.contains("0002_pipe.sql"), "\(error)")
        #expect(error.description.contains("not a regular file"), "\(error)")
    }
}

@Suite struct SwiftCatalogueTests {
    @Test func defaultIDsArePositions() throws {
        let catalogue = try Catalogue([Step("One", sql: "SELECT 1"), Step("Two", id: "custom", sql: "SELECT 2;")])
        #expect(catalogue.steps.map(\.id) == ["0001", "custom"])
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let error = try #require(throws: CatalogueError.self) {
            try Catalogue([
                Step("", sql: "SELECT 1"),
                Step("Empty", sql: "-- nothing"),
                Step("Twice", id: "0001", sql: "SELECT 'unterminated"),
            ])
        }
        #expect(error.problems.count == 4, "\(error)")
        #expect(error.description.contains("has no name"))
        #expect(error.description.contains("has no SQL statement"))
        #expect(error.description.contains("step id '0001' is used twice"))
        #expect(error.description.contains("SQL"))
    }

    @Test(arguments: [
        ("Add owner email (v1.2 Update)", "v1.2"), ("Hotfix (v1.10.3 hotfix)", "v1.10.3"), ("Initial (v2)", "v2"),
    ])
    func versionTagsComeFromTheName(name: String, tag: String) {
        #expect(VersionTag(stepName: name)?.description == tag)
    }

    @Test(arguments: ["No tag", "Uses (version 1)", "Odd (v1.x Update)", "(vNext)", "Paren (v1.2) in the middle"])
    func namesWithoutATagHaveNone(name: String) {
        #expect(VersionTag(stepName: name) == nil)
    }

    @Test func versionTagsOrderNumerically() {
        let tags = ["(v1.10)", "(v1.2)", "(v1.2.1)", "(v2)"].compactMap { VersionTag(stepName: $0) }
        #expect(tags.sorted().map(\.description) == ["v1.2", "v1.2.1", "v1.10", "v2"])
    }
}
