@testable import RobotSQL
import Testing

/// What each statement of `source` controls (transaction) or changes (session), as `line:column word` strings.
private func effects(_ source: String) throws -> (transactionControl: [String], sessionChanges: [String], setsTimeouts: [Bool]) {
    let all = try SQLStatementSplitter.split(source).map(StatementEffects.init(of:))
    let describe = { (token: SQLToken) in "\(token.start) \(token.text)" }
    return (all.flatMap(\.transactionControl).map(describe), all.flatMap(\.sessionChanges).map(describe), all.map(\.setsTimeouts))
}

@Suite struct StatementEffectsTests {
    @Test(arguments: [
        ("BEGIN;", ["1:1 BEGIN"]),
        ("start transaction isolation level serializable;", ["1:1 start"]),
        ("COMMIT;", ["1:1 COMMIT"]),
        ("END;", ["1:1 END"]),
        ("ROLLBACK;", ["1:1 ROLLBACK"]),
        ("ABORT;", ["1:1 ABORT"]),
        ("SAVEPOINT a;", ["1:1 SAVEPOINT"]),
        ("RELEASE SAVEPOINT a;", ["1:1 RELEASE"]),
        ("ROLLBACK TO SAVEPOINT a;", ["1:1 ROLLBACK"]),
        ("PREPARE TRANSACTION 'x';", ["1:1 PREPARE"]),
        ("PREPARE q AS SELECT 1;", []),
        ("START;", []),
        ("SELECT 'COMMIT'; -- COMMIT;\n", []),
        ("CREATE TABLE t (a int); COMMIT; CREATE TABLE u (a int);", ["1:25 COMMIT"]),
    ])
    func topLevelTransactionControl(_ source: String, _ expected: [String]) throws {
        #expect(try effects(source).transactionControl == expected)
    }

    @Test func commitAndRollbackInsideADoBlockAreFoundAtTheirLines() throws {
        let source = """
            DO $$
            BEGIN
                CREATE TABLE IF NOT EXISTS a (id int);
                COMMIT;
                BEGIN
                    INSERT INTO a VALUES (1);
                EXCEPTION WHEN unique_violation THEN
                    ROLLBACK;
                END;
            END
            $$;
            """
        #expect(try effects(source).transactionControl == ["4:5 COMMIT", "8:9 ROLLBACK"])
    }

    @Test func blocksAndAtomicBodiesAreNoTransactionControl() throws {
        let source = """
            DO $$ BEGIN IF true THEN NULL; END IF; END $$;
            CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
            CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN PERFORM 1; END $f$;
            DO LANGUAGE plpgsql $$ BEGIN PERFORM 'COMMIT'; END $$;
            """
        #expect(try effects(source).transactionControl.isEmpty)
    }

    @Test func aProcedureBodyThatCommitsIsFound() throws {
        let source = """
            CREATE OR REPLACE PROCEDURE backfill() LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE t SET a = 1 WHERE a IS NULL;
                COMMIT;
            END
            $$;
            """
        #expect(try effects(source).transactionControl == ["4:5 COMMIT"])
    }

    @Test(arguments: [
        ("SET search_path TO app, public;", ["1:1 SET"]),
        ("set session statement_timeout = '1s';", ["1:1 set"]),
        ("RESET search_path;", ["1:1 RESET"]),
        ("SET ROLE app;", ["1:1 SET"]),
        ("SET SESSION AUTHORIZATION app;", ["1:1 SET"]),
        ("SELECT set_config('statement_timeout', '1', false);", ["1:8 set_config"]),
        ("SELECT pg_catalog.set_config('search_path', 'app', 1 = 0), 2;", ["1:19 set_config"]),
        ("SELECT set_config('search_path', 'app', true);", []),
        ("SET LOCAL search_path TO app;", []),
        ("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;", []),
        ("SET CONSTRAINTS ALL DEFERRED;", []),
        ("UPDATE t SET a = 1 WHERE a IS NULL;", []),
        ("ALTER TABLE t ALTER COLUMN a SET DEFAULT 0;", []),
        ("CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE plpgsql SET search_path = app AS $$ BEGIN SET work_mem = '1MB'; END $$;", []),
        ("SELECT 'SET search_path TO x';", []),
    ])
    func sessionChanges(_ source: String, _ expected: [String]) throws {
        #expect(try effects(source).sessionChanges == expected)
    }

    @Test func sessionChangesInsideADoBlockAreFound() throws {
        let source = """
            DO $$
            BEGIN
                SET search_path TO app;
                SET LOCAL work_mem = '64MB';
                UPDATE t SET a = 1 WHERE a IS NULL;
                PERFORM set_config('lock_timeout', '0', false);
            END
            $$;
            """
        #expect(try effects(source).sessionChanges == ["3:5 SET", "6:13 set_config"])
    }

    @Test func timeoutSettingsAreNoticedWithOrWithoutLocal() throws {
        #expect(try effects("SET lock_timeout = '1s'; SET LOCAL statement_timeout = 0; RESET ALL; SET work_mem = '1MB';").setsTimeouts
            == [true, true, true, false])
    }

    @Test func aLongSeedIsReadTokenByToken() throws {
        // 20,000 rows, 120,000 tokens (bench/memory.py measures the memory this keeps flat on 50 MB). Kept small:
        // a test that holds a thread for seconds starves the other tests' connections.
        let rows = (1...20_000).map { "(\($0), 'n\($0)')" }.joined(separator: ",")
        let statements = try SQLStatementSplitter.split("INSERT INTO t VALUES \(rows) ON CONFLICT DO NOTHING;")
        #expect(statements.count == 1)
        let found = StatementEffects(of: statements[0])
        #expect(found.transactionControl.isEmpty && found.sessionChanges.isEmpty)
        var count = 0
        statements[0].forEachToken { _ in count += 1 }
        #expect(count == 4 + 20_000 * 6 - 1 + 4)
    }
}
