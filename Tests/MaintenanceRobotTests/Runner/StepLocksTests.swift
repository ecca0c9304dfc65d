import Foundation
@testable import MaintenanceRobot
import RobotSQL
import RobotTestSupport
import Testing

/// Each step's own locks, read inside its transaction and written with its ledger row, on a real PostgreSQL.
@Suite(.timeLimit(.minutes(3))) struct StepLocksTests {
    /// A live table: 1000 rows, counted.
    static let populate = [
        "CREATE TABLE tenants (id bigserial PRIMARY KEY, store_name text NOT NULL, plan integer NOT NULL DEFAULT 1)",
        "INSERT INTO tenants (store_name) SELECT 'store ' || g FROM generate_series(1, 1000) AS g",
        "ANALYZE tenants",
    ]

    static let steps: [Step] = [
        Step("Create plans table (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS plans (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE);"),
        Step("Index tenants by store (v1.0 Update)", sql: "CREATE INDEX IF NOT EXISTS tenants_store_idx ON tenants (store_name);"),
        Step("Add owner email (v1.0 Update)", sql: "ALTER TABLE tenants ADD COLUMN IF NOT EXISTS owner_email text;"),
        Step("Widen plan (v1.0 Update)", sql: """
            DO $$
            BEGIN
                IF (SELECT atttypid FROM pg_attribute WHERE attrelid = 'tenants'::regclass AND attname = 'plan') = 'integer'::regtype THEN
                    ALTER TABLE tenants ALTER COLUMN plan TYPE bigint;
                END IF;
            END
            $$;
            """),
        Step("Seed plans (v1.0 Update)", sql: "INSERT INTO plans (name) VALUES ('free'), ('pro') ON CONFLICT (name) DO NOTHING;"),
    ]

    static func populated(_ label: String = #function) async throws -> Scratch {
        let db = try await Scratch.make(label)
        for statement in populate { _ = try await db.query(statement) }
        return db
    }

    /// In one block per step (the default), and statement by statement with a read of the locks after each one.
    @Test(arguments: [false, true])
    func everyStepRecordsTheLocksItTook(traced: Bool) async throws {
        let db = try await Self.populated("locks_\(traced)")
        let report = try await db.run(Self.steps) { $0.tracesLocksPerStatement = traced }
        #expect(report.count(.applied) == 5)
        let locks = try report.steps.map { try #require($0.locks, "\($0.id) has no locks") }

        // CREATE TABLE: only relations it created.
        #expect(locks[0].relations.contains { $0.relation == "plans" && $0.strongestMode == .accessExclusive })
        #expect(locks[0].relations.allSatisfy { !$0.existedBefore }, "\(locks[0])")
        #expect(locks[0].strongestOnPopulated == nil)

        let index = try #require(locks[1].relations.first { $0.relation == "tenants" })
        #expect(index.strongestMode == .share && index.existedBefore && index.hasRows && index.rows == 1000 && !index.rewritten)
        #expect(locks[1].relations.contains { $0.relation == "tenants_store_idx" && !$0.existedBefore && $0.kind == .index })

        let column = try #require(locks[2].strongestOnPopulated)
        #expect(column.relation == "tenants" && column.strongestMode == .accessExclusive && !column.rewritten)

        let type = try #require(locks[3].strongestOnPopulated)
        #expect(type.relation == "tenants" && type.strongestMode == .accessExclusive && type.rewritten)
        #expect(locks[3].relations.contains { $0.relation == "tenants_pkey" && $0.rewritten })

        #expect(locks[4].relations.contains { $0.relation == "plans" })
        #expect(locks[4].relations.allSatisfy { $0.modes == [.rowExclusive] }, "\(locks[4])")
        #expect(locks.allSatisfy { $0.unobserved == nil && !$0.relations.contains { $0.schema == "maintenance_robot" } })

        // Only a traced run knows which statement took each lock and for how long.
        #expect(locks[3].relations.allSatisfy { ($0.heldMilliseconds != nil) == traced && ($0.statement == 1) == traced })

        // The ledger keeps what the report carries.
        let recorded = try #require(try await db.value("SELECT locks::text FROM maintenance_robot.steps WHERE id = '0004'"))
        #expect(StepLocks(ledgerJSON: recorded)?.strongestOnPopulated?.rewritten == true)
    }

    /// Behind PgBouncer in transaction pooling, where each step's transaction brings its own lock and settings.
    @Test(arguments: [false, true])
    func behindATransactionPoolerEveryStepRecordsItsLocksToo(traced: Bool) async throws {
        let bouncer = try await TestPgBouncer.start(poolSize: 1)
        defer { bouncer.stop() }
        let db = try await Self.populated("pooled_locks_\(traced)")
        let report = try await Scratch(settings: bouncer.settings(for: db.settings)).run(Self.steps) {
            $0.pooler = .transaction
            $0.tracesLocksPerStatement = traced
        }
        #expect(report.count(.applied) == 5)
        let widened = try #require(report.steps[3].locks?.strongestOnPopulated)
        #expect(widened.relation == "tenants" && widened.strongestMode == .accessExclusive && widened.rewritten)
        #expect(report.steps[1].locks?.strongestOnPopulated?.strongestMode == .share)
        #expect(report.steps.allSatisfy { $0.locks?.relations.contains { $0.schema == "maintenance_robot" } == false })
    }

    @Test func theTextReportShowsWhatLiveTrafficWouldWaitFor() async throws {
        let db = try await Self.populated()
        let report = try await db.run(Self.steps)
        let text = TextReportRenderer.render(report)
        let lockLines = text.split(separator: "\n").filter { $0.contains("lock:") }
        #expect(lockLines.count == 3, "\(text)")
        #expect(text.contains("lock: ShareLock on public.tenants (table, 1000 rows)\n"), "\(text)")
        #expect(text.contains("lock: AccessExclusiveLock on public.tenants (table, 1000 rows)\n"), "\(text)")
        #expect(text.contains("lock: AccessExclusiveLock on public.tenants (table, 1000 rows), rewritten"), "\(text)")

        let verbose = TextReportRenderer.render(report, verbose: true)
        #expect(verbose.contains("lock: RowExclusiveLock on public.plans_id_seq (sequence)\n"), "\(verbose)")
        #expect(verbose.contains("lock: AccessExclusiveLock, ShareLock, AccessShareLock on public.plans (table, created by the step)"), "\(verbose)")
        #expect(verbose.contains("lock: AccessExclusiveLock, ShareLock on public.tenants (table, 1000 rows), rewritten"), "\(verbose)")

        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(RunReport.self, from: report.jsonData())
        #expect(decoded.steps.map(\.locks) == report.steps.map(\.locks))
    }

    /// A table never counted (`reltuples` -1) still shows it holds rows; a step that changes its own timeouts runs
    /// statement by statement and records its locks too.
    @Test func anUncountedTableWithPagesHasRowsAndTheStatementPathRecordsLocks() async throws {
        let db = try await Scratch.make()
        _ = try await db.query("CREATE TABLE tenants (id bigserial PRIMARY KEY, store_name text)")
        _ = try await db.query("INSERT INTO tenants (store_name) VALUES ('a'), ('b')")
        let report = try await db.run([Step("Index store (v1.0 Update)", sql: """
            SET LOCAL lock_timeout = '3s';
            CREATE INDEX IF NOT EXISTS tenants_store_idx ON tenants (store_name);
            """)])
        let tenants = try #require(report.steps[0].locks?.strongestOnPopulated)
        #expect(tenants.relation == "tenants" && tenants.strongestMode == .share && tenants.hasRows)
    }

    /// Without a transaction each statement releases its locks as it commits: only the rewrite is known.
    @Test func aStepWithoutATransactionRecordsItsRewritesAndSaysItsLocksWereNotRead() async throws {
        let db = try await Self.populated()
        let report = try await db.run([Step("Compact tenants (v1.0 Update)", transaction: false, sql: "VACUUM FULL tenants;")])
        let locks = try #require(report.steps[0].locks)
        #expect(locks.unobserved?.contains("without a transaction") == true)
        let tenants = try #require(locks.relations.first { $0.relation == "tenants" })
        #expect(tenants.rewritten && tenants.modes.isEmpty && tenants.wasPopulated)
        #expect(TextReportRenderer.render(report).contains("lock: a lock not read on public.tenants (table, 1000 rows), rewritten"))
        #expect(TextReportRenderer.render(report, verbose: true).contains("locks not read: the step runs without a transaction"))
    }
}

/// The block's frame (the watermark's variable and its reading) keeps every error at its own statement.
@Suite struct StepBlockFrameTests {
    @Test(arguments: ["SELECT nosuch FROM pg_class", "DO $$\nBEGIN\n  PERFORM 1;\n  INSERT INTO missing_table VALUES (1);\nEND\n$$", "SELECT 1/0"])
    func errorsInAFramedBlockUnwrapAsWithout(failing: String) async throws {
        let session = try await DatabaseSession.connect(to: try await TestCluster.freshDatabase(), waitingUpTo: .seconds(10), logger: CapturedLogs().logger())
        defer { Task { await session.close() } }
        let statements = try SQLStatementSplitter.split("SELECT\n  2;\n\(failing);")
        let frame = StepBlock.Frame(declarations: ["a int;", "b int;"], opening: ["a := 1;", "b := a + 1;"], closing: ["PERFORM a + b;"])
        let plain = StepBlock(statements: statements, then: ["SELECT 1"])
        let framed = StepBlock(statements: statements, frame: frame, then: ["SELECT 1"])
        let plainError = await #expect(throws: DatabaseError.self) { try await session.execute(plain.sql) }
        let framedError = await #expect(throws: DatabaseError.self) { try await session.execute(framed.sql) }
        let (expected, expectedIndex) = plain.unwrap(try #require(plainError))
        let (unwrapped, index) = framed.unwrap(try #require(framedError))
        #expect(index == 1 && expectedIndex == 1)
        #expect(unwrapped.message == expected.message && unwrapped.position == expected.position)
        #expect(unwrapped.context == expected.context && unwrapped.internalPosition == expected.internalPosition)
        // The closing lines see the frame's variables, after the statements and the trailer.
        try await session.execute("CREATE TABLE t (three int)")
        var inserting = frame
        inserting.closing = ["INSERT INTO t VALUES (a + b);"]
        let passing = StepBlock(statements: [statements[0]], frame: inserting, then: ["SELECT 1"])
        try await session.execute(passing.sql)
        #expect(try await session.execute("SELECT three FROM t").first?.int("three") == 3)
    }
}
