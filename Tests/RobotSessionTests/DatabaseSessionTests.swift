import Logging
import MaintenanceRobot
@testable import RobotSession
import RobotTestSupport
import Testing

@Suite("DatabaseSession against a throwaway cluster")
struct DatabaseSessionTests {
    let logs = CapturedLogs()

    private func connect(_ settings: ConnectionSettings) async throws -> DatabaseSession {
        try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: logs.logger())
    }

    @Test("execute returns rows with text, integer and boolean cells")
    func executeReturnsRows() async throws {
        let session = try await connect(try await TestCluster.freshDatabase())
        defer { Task { await session.close() } }
        try await session.execute("CREATE TABLE item (id int PRIMARY KEY, name text, active boolean, price numeric)")
        try await session.execute("INSERT INTO item VALUES (1, 'one', true, 1.5), (2, NULL, false, NULL)")
        let rows = try await session.execute("SELECT id, name, active, price, price::text AS price_text FROM item ORDER BY id")
        #expect(rows.count == 2)
        #expect(rows[0].columnNames == ["id", "name", "active", "price", "price_text"])
        #expect(rows[0].int("id") == 1)
        #expect(rows[0].string("id") == "1")
        #expect(rows[0].string("name") == "one")
        #expect(rows[0].bool("active") == true)
        #expect(rows[0].string("price_text") == "1.5")
        #expect(rows[1].string("name") == nil)
        #expect(rows[1].bool("active") == false)
        #expect(rows[1].string("missing") == nil)
    }

    @Test("binds every kind of value, including NULL")
    func bindsValues() async throws {
        let session = try await connect(try await TestCluster.freshDatabase())
        defer { Task { await session.close() } }
        let rows = try await session.execute(
            "SELECT $1::text AS t, $2::bigint AS i, $3::boolean AS b, $4::float8::text AS d, $5::text IS NULL AS n",
            [.text("it's"), .integer(42), .boolean(true), .double(2.5), .text(nil)]
        )
        #expect(rows.first?.string("t") == "it's")
        #expect(rows.first?.int("i") == 42)
        #expect(rows.first?.bool("b") == true)
        #expect(rows.first?.string("d") == "2.5")
        #expect(rows.first?.bool("n") == true)
    }

    @Test("a server error keeps its SQLSTATE and position")
    func serverErrorFields() async throws {
        let session = try await connect(try await TestCluster.freshDatabase())
        defer { Task { await session.close() } }
        let error = await #expect(throws: DatabaseError.self) {
            try await session.execute("SELECT * FROM missing_table")
        }
        #expect(error?.sqlState == "42P01")
        #expect(error?.position == 15)
        #expect(error?.message == "relation \"missing_table\" does not exist")
        #expect(error?.isConnectionLost == false)
        #expect(error?.description == "ERROR 42P01: relation \"missing_table\" does not exist")
    }

    @Test("an error inside a DO block keeps its internal position, query and context")
    func errorInsideDoBlock() async throws {
        let session = try await connect(try await TestCluster.freshDatabase())
        defer { Task { await session.close() } }
        let error = await #expect(throws: DatabaseError.self) {
            try await session.execute("DO $$ BEGIN\n  PERFORM * FROM missing_table;\nEND $$")
        }
        #expect(error?.sqlState == "42P01")
        #expect(error?.internalQuery == "SELECT * FROM missing_table")
        #expect(error?.internalPosition == 15)
        #expect(error?.context?.contains("PL/pgSQL function inline_code_block line 2 at PERFORM") == true)
    }

    @Test("unique violations name the table and constraint")
    func constraintFields() async throws {
        let session = try await connect(try await TestCluster.freshDatabase())
        defer { Task { await session.close() } }
        try await session.execute("CREATE TABLE t (id int CONSTRAINT t_pk PRIMARY KEY)")
        try await session.execute("INSERT INTO t VALUES (1)")
        let error = await #expect(throws: DatabaseError.self) { try await session.execute("INSERT INTO t VALUES (1)") }
        #expect(error?.sqlState == "23505")
        #expect(error?.tableName == "t")
        #expect(error?.constraintName == "t_pk")
        #expect(error?.detail == "Key (id)=(1) already exists.")
    }

    @Test("notices arrive in order with their severities and are cleared when taken")
    func noticesCaptured() async throws {
        let session = try await connect(try await TestCluster.freshDatabase())
        defer { Task { await session.close() } }
        try await session.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 1; RAISE WARNING 'careful' USING HINT = 'look'; END $$")
        let notices = session.takeNotices()
        #expect(notices.map(\.severity) == ["NOTICE", "WARNING"])
        #expect(notices.map(\.message) == ["hello 1", "careful"])
        #expect(notices.map(\.sqlState) == ["00000", "01000"])
        #expect(notices.last?.hint == "look")
        #expect(notices.first?.context?.contains("PL/pgSQL function inline_code_block") == true)
        #expect(session.takeNotices().isEmpty)
        try await session.execute("SELECT repeat('x', 100000) AS big")
        try await session.execute("DO $$ BEGIN RAISE INFO 'after a large row'; END $$")
        #expect(session.takeNotices().map(\.message) == ["after a large row"])
    }

    /// The next statement races the channel's close (the server's FATAL error arrives before its end of
    /// stream); it once waited forever when it lost. Many rounds make losing that race likely.
    @Test("a terminated backend is reported as a lost connection, however the next statement meets the closing")
    func connectionLost() async throws {
        let settings = try await TestCluster.freshDatabase()
        for _ in 0..<40 {
            let session = try await connect(settings)
            await #expect(throws: DatabaseError.self) { try await session.execute("SELECT pg_terminate_backend(pg_backend_pid())") }
            let error = await #expect(throws: DatabaseError.self) { try await session.execute("SELECT 1") }
            #expect(error?.isConnectionLost == true)
            #expect(error?.description.hasPrefix("connection lost") == true)
            await session.close()
        }
    }

    @Test("connects through the unix socket directory")
    func unixSocket() async throws {
        let cluster = try await TestCluster.cluster()
        var settings = try await TestCluster.freshDatabase()
        settings.host = cluster.socketDirectory
        let session = try await connect(settings)
        defer { Task { await session.close() } }
        let rows = try await session.execute("SELECT current_setting('application_name') AS name, inet_server_port() IS NULL AS local")
        #expect(rows.first?.string("name") == "maintenance-robot")
        #expect(rows.first?.bool("local") == true)
        #expect(session.target == settings.description)
    }

    @Test("sslmode=prefer falls back to plain text; require is rejected at once by a server without TLS")
    func tlsAgainstPlainServer() async throws {
        var settings = try await TestCluster.freshDatabase()
        settings.tls = .prefer
        let session = try await connect(settings)
        await session.close()
        settings.tls = .require
        let error = await #expect(throws: ConnectionError.self) {
            try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(30), logger: logs.logger())
        }
        guard case .rejected(_, let reason) = error else { Issue.record("expected rejected, got \(String(describing: error))"); return }
        #expect(reason.contains("does not offer TLS"))
    }
}
