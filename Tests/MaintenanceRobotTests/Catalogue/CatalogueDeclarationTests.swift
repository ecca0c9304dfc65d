@testable import MaintenanceRobot
import Testing

@Suite struct CatalogueDeclarationTests {
    static let steps = [
        Step("Create tenants (v1.0 Update)", critical: true, sql: "CREATE TABLE IF NOT EXISTS tenants (id int);"),
        Step("Add index (v1.1 Update)", id: "add_index", transaction: false, sql: "CREATE INDEX CONCURRENTLY IF NOT EXISTS t ON tenants (id);"),
    ]

    @Test func theDigestIsTheCataloguesAndSeesEveryDeclaredByte() throws {
        let digest = try CatalogueDeclaration(Self.steps).digest
        #expect(try Catalogue(Self.steps).digest == digest)
        #expect(try CatalogueDeclaration(Self.steps).digest == digest, "the same declaration, the same digest")
        let edits: [(String, (inout [Step]) -> Void)] = [
            ("a comment", { $0[0].sql += " -- note" }),
            ("trailing whitespace", { $0[0].sql += " " }),
            ("a name", { $0[1].name = "Add an index (v1.1 Update)" }),
            ("critical", { $0[1].isCritical = true }),
            ("transaction", { $0[0].runsInTransaction = false }),
            ("an id", { $0[1].id = "add_tenant_index" }),
            ("the order", { $0.reverse() }),
            ("a step more", { $0.append(Step("Seed (v1.2 Update)", sql: "SELECT 1;")) }),
            ("text moved between fields", { $0[0].name += "C"; $0[0].sql.removeFirst() }),
        ]
        for (edit, apply) in edits {
            var edited = Self.steps
            apply(&edited)
            #expect(try CatalogueDeclaration(edited).digest != digest, "\(edit)")
        }
    }

    @Test func aDeclarationChecksAllButTheSQL() throws {
        let unlexed = try CatalogueDeclaration([Step("Open quote", sql: "SELECT 'never closed"), Step("Only a comment", sql: "-- nothing")])
        #expect(unlexed.steps.map(\.id) == ["0001", "0002"])
        let error = try #require(throws: CatalogueError.self) { try unlexed.validated() }
        #expect(error.problems.count == 2, "\(error)")
        #expect(error.description.contains("has no SQL statement"), "\(error)")

        let unnamed = try #require(throws: CatalogueError.self) {
            try CatalogueDeclaration([Step(" ", sql: "SELECT 1"), Step("Twice", id: "0001", sql: "SELECT 2")])
        }
        #expect(unnamed.problems.count == 2, "\(unnamed)")
        #expect(unnamed.description.contains("step id '0001' is used twice"), "\(unnamed)")
        #expect(throws: CatalogueError.self) { try CatalogueDeclaration([]) }
    }

    @Test func aStepDirectoryIsDeclaredWithoutLexing() throws {
        let declared = try StepDirectory.declaration(in: Fixtures.catalogue("valid"))
        let loaded = try StepDirectory.load(Fixtures.catalogue("valid"))
        #expect(declared.digest == loaded.digest)
        #expect(declared.steps.map(\.id) == loaded.steps.map(\.id))
        #expect(declared.steps.map(\.name) == loaded.steps.map(\.name))

        let unterminated = try StepDirectory.declaration(in: Fixtures.catalogue("unterminated"))
        let error = try #require(throws: CatalogueError.self) { try unterminated.validated() }
        #expect(error.description.contains("0001_open_dollar.sql:2:4"), "\(error)")
        #expect(throws: CatalogueError.self) { try StepDirectory.declaration(in: Fixtures.catalogue("unknown-directive")) }
    }

    /// Ledgers keep checksums: a robot release must compute the one every earlier release recorded.
    @Test func aStepsChecksumIsTheOneEarlierReleasesRecorded() throws {
        let sql = "CREATE TABLE IF NOT EXISTS t (\r\n\tid int,   \r\n  name text\t \n);\r-- comment  \n"
            + "INSERT INTO t VALUES (1, 'a  b\t\r\n c')   ;\nDO $$ BEGIN  \n  RAISE NOTICE 'x';\nEND $$;"
        let catalogue = try Catalogue([Step("Pinned (v1.0 Update)", sql: sql)])
        #expect(catalogue.steps[0].checksum == "2490ca4e46fb1642faa388a026d23621057e9de4beb03fe149f808bd2ad46922")
    }
}
