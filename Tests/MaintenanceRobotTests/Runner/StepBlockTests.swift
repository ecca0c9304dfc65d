import Logging
@testable import MaintenanceRobot
import RobotSQL
import RobotTestSupport
import Testing

@Suite("StepBlock: a step in one DO block")
struct StepBlockTests {
    /// Setup, then statements that run before the failing one (over several lines, so block lines shift),
    /// then the failing statement.
    static let failures: [(setup: String, before: String, failing: String)] = [
        ("", "SELECT 1", "SELECT nosuch FROM pg_class"),
        ("", "SELECT\n  2\n  , 3", "SELEC 1"),
        ("CREATE TABLE u (a int PRIMARY KEY); INSERT INTO u VALUES (1)", "SELECT 'a;b'", "INSERT INTO u VALUES (1)"),
        ("", "SELECT 1", "SELECT 1/0"),
        ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'in f' USING HINT = 'h'; END $$",
         "SELECT 1", "SELECT f()"),
        ("", "SELECT '$robot_0$', '$robot_block_0$'", "DO $$\nBEGIN\n  PERFORM 1;\n  INSERT INTO missing_table VALUES (1);\nEND\n$$"),
        ("", "SELECT 1", "DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'd'; END $$"),
        ("", "SELECT 1", "SET lock_timeout = 'x'"),
        ("", "SELECT 1", "CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1 +;\nEND $$"),
        ("", "SELECT 'é'", "DO $body$\nBEGIN\n  PERFORM 'ü';\n  RETURN 1 +;\nEND\n$body$"),
        ("", "SELECT 1", "CREATE FUNCTION h() RETURNS int LANGUAGE sql AS 'SELECT 1 +'"),
    ]

    @Test("an error unwrapped from the block is the error the statement alone raises", arguments: failures)
    func unwrappedErrorsEqualDirectOnes(setup: String, before: String, failing: String) async throws {
        let session = try await DatabaseSession.connect(to: try await TestCluster.freshDatabase(), waitingUpTo: .seconds(10), logger: Logger(label: "test"))
        defer { Task { await session.close() } }
        for statement in try SQLStatementSplitter.split(setup) { try await session.execute(statement.sql) }
        let statements = try SQLStatementSplitter.split("\(before);\n\(failing);")
        let direct = await #expect(throws: DatabaseError.self) { try await session.execute(statements[1].sql) }
        let block = StepBlock(statements: statements, then: ["SELECT 1"])
        let wrapped = await #expect(throws: DatabaseError.self) { try await session.execute(block.sql) }
        let (unwrapped, index) = block.unwrap(try #require(wrapped))
        let expected = try #require(direct)
        #expect(index == 1)
        #expect(unwrapped.sqlState == expected.sqlState)
        #expect(unwrapped.message == expected.message)
        #expect(unwrapped.detail == expected.detail)
        #expect(unwrapped.hint == expected.hint)
        #expect(unwrapped.position == expected.position)
        #expect(unwrapped.internalPosition == expected.internalPosition)
        #expect(unwrapped.internalQuery == expected.internalQuery)
        #expect(unwrapped.context == expected.context)
    }

    @Test("a failure in the trailer names no statement")
    func trailerFailure() async throws {
        let session = try await DatabaseSession.connect(to: try await TestCluster.freshDatabase(), waitingUpTo: .seconds(10), logger: Logger(label: "test"))
        defer { Task { await session.close() } }
        let block = StepBlock(statements: try SQLStatementSplitter.split("SELECT 1;"), then: ["INSERT INTO missing_ledger VALUES (1)"])
        let error = await #expect(throws: DatabaseError.self) { try await session.execute(block.sql) }
        let (unwrapped, index) = block.unwrap(try #require(error))
        #expect(index == nil)
        #expect(unwrapped.sqlState == "42P01")
    }

    @Test("statements and trailer commit together, or not at all")
    func atomic() async throws {
        let session = try await DatabaseSession.connect(to: try await TestCluster.freshDatabase(), waitingUpTo: .seconds(10), logger: Logger(label: "test"))
        defer { Task { await session.close() } }
        try await session.execute("CREATE TABLE log (note text)")
        let failing = StepBlock(statements: try SQLStatementSplitter.split("INSERT INTO log VALUES ('step');"),
                                then: ["INSERT INTO log VALUES ('ledger')", "SELECT 1/0"])
        await #expect(throws: DatabaseError.self) { try await session.execute(failing.sql) }
        #expect(try await session.execute("SELECT count(*)::text AS n FROM log").first?.string("n") == "0")
        let passing = StepBlock(statements: try SQLStatementSplitter.split("INSERT INTO log VALUES ('step');"),
                                then: ["INSERT INTO log VALUES ('ledger')"])
        try await session.execute(passing.sql)
        #expect(try await session.execute("SELECT string_agg(note, ',' ORDER BY note) AS n FROM log").first?.string("n") == "ledger,step")
    }

    @Test("quotes are chosen that no statement contains, even where a statement's end would complete one")
    func quotesAvoidTheStatements() throws {
        let statements = try SQLStatementSplitter.split(
            "SELECT '$robot_0$';\nSELECT 1 AS x$robot_1;\nSELECT '$robot_block_2$';\nrobot_block_3$ nonsense;"
        )
        let block = StepBlock(statements: statements, then: [])
        #expect(block.sql.hasPrefix("DO $robot_block_4$"))
        #expect(block.sql.contains("EXECUTE $robot_4$SELECT '$robot_0$'$robot_4$;"))
        #expect(StepBlock(statements: try SQLStatementSplitter.split("SELECT '$robot';"), then: []).sql.hasPrefix("DO $robot_block_0$"))
    }

    @Test("notices lose the block's context lines")
    func noticeContext() async throws {
        let session = try await DatabaseSession.connect(to: try await TestCluster.freshDatabase(), waitingUpTo: .seconds(10), logger: Logger(label: "test"))
        defer { Task { await session.close() } }
        let statement = "DO $$ BEGIN RAISE NOTICE 'hello'; END $$"
        try await session.execute(statement)
        let direct = session.takeNotices()
        let block = StepBlock(statements: try SQLStatementSplitter.split("SELECT 1;\n\(statement);"), then: [])
        try await session.execute(block.sql)
        let unwrapped = session.takeNotices().map(block.unwrap)
        #expect(unwrapped.map(\.message) == ["hello"])
        #expect(unwrapped.map(\.context) == direct.map(\.context))
    }
}
