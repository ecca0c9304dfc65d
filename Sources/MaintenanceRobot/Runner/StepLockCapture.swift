import Foundation

/// Reads the relation locks a step holds, inside the step's own transaction, for its ledger row (``StepLocks``).
///
/// Relations and their data files (`relfilenode`) take their numbers from one counter of the cluster, which only
/// grows (until it wraps around after four billion objects). So the highest number in use before the step — its
/// watermark — tells, for every relation the step locked, whether the step created it (its number is above) and
/// whether the step gave it a new data file, that is rewrote it (its file number is above, its own is not). Reading
/// the watermark costs two index probes, where comparing every relation's file before and after would read all of
/// `pg_class` twice. The capture itself reads `pg_locks` for the step's own backend.
///
/// A step sent as one `DO` block calls functions the ledger installs (``installStatement``), whose plans PostgreSQL
/// keeps for the session, so each step pays for executing them only. A step run statement by statement sends the
/// same queries as plain SQL.
struct StepLockCapture: Sendable {
    let schema: LedgerSchema

    /// The block variable that holds the watermark, passed to the function that writes the ledger row.
    static let watermarkVariable = "robot_relation_watermark"

    /// The highest relation or data file number in use, through the indexes on oid and on (reltablespace,
    /// relfilenode): the default tablespace (0) and the tablespaces users created (PostgreSQL's own, pg_global,
    /// hold only its shared catalogues, below every user number).
    static let watermarkExpression = """
        greatest((SELECT max(oid) FROM pg_catalog.pg_class),
                 (SELECT max(relfilenode) FROM pg_catalog.pg_class WHERE reltablespace = 0),
                 (SELECT max(relfilenode) FROM pg_catalog.pg_class WHERE reltablespace >= 16384))
        """

    /// The JSON the ledger keeps of the locks this backend holds now, given the watermark as `watermark` (SQL).
    func locksQuery(watermark: String) -> String {
        """
        SELECT jsonb_build_object('relations', coalesce(jsonb_agg(jsonb_build_object(
                   'schema', n.nspname, 'relation', c.relname, 'kind', c.relkind, 'modes', l.modes,
                   'existedBefore', c.oid <= \(watermark),
                   'rows', CASE WHEN c.reltuples >= 0 AND c.relkind IN ('r', 'p', 'm', 'i', 't') THEN c.reltuples::bigint END,
                   'hasRows', c.oid <= \(watermark) AND \(Self.hasRows),
                   'rewritten', c.oid <= \(watermark) AND c.relfilenode > \(watermark)
               ) ORDER BY n.nspname, c.relname), '[]'::jsonb))
        FROM (SELECT relation, array_agg(mode) AS modes FROM pg_catalog.pg_locks
              WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'relation' AND relation >= 16384
              GROUP BY relation) AS l
        JOIN pg_catalog.pg_class AS c ON c.oid = l.relation
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname <> \(schema.name.sqlLiteral) AND n.nspname !~ '^pg_toast'
        """
    }

    /// The JSON the ledger keeps for a step without a transaction: the relations that got a new data file while
    /// it ran, and why its locks are missing.
    func rewritesQuery(watermark: String) -> String {
        """
        SELECT jsonb_build_object('unobserved', \(Self.unobservedReason.sqlLiteral), 'relations', coalesce(jsonb_agg(jsonb_build_object(
                   'schema', n.nspname, 'relation', c.relname, 'kind', c.relkind, 'modes', '[]'::jsonb, 'existedBefore', true,
                   'rows', CASE WHEN c.reltuples >= 0 AND c.relkind IN ('r', 'p', 'm', 'i', 't') THEN c.reltuples::bigint END,
                   'hasRows', \(Self.hasRows),
                   'rewritten', true
               ) ORDER BY n.nspname, c.relname), '[]'::jsonb))
        FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE c.oid >= 16384 AND c.oid <= \(watermark) AND c.relfilenode > \(watermark)
          AND n.nspname <> \(schema.name.sqlLiteral) AND n.nspname !~ '^pg_toast'
        """
    }

    /// Whether relation `c` holds rows: PostgreSQL's count (`reltuples`) says so or, for a table it never counted,
    /// its data file has pages at the end of the step. Sequences and views hold none.
    private static let hasRows = """
        c.relkind IN ('r', 'p', 'm', 'i', 't') AND (c.reltuples > 0
            OR (c.reltuples < 0 AND c.relkind IN ('r', 'm', 't') AND pg_catalog.pg_relation_size(c.oid) > 0))
        """

    static let unobservedReason = "the step runs without a transaction: each statement commits on its own and releases its locks before the robot can read them; only the relations rewritten while it ran are known"

    /// The locks this backend holds now, one row per relation and mode (`schema`, `relation`, `mode`): what a
    /// traced step reads after each statement.
    static let heldLocksQuery = """
        SELECT n.nspname AS schema, c.relname AS relation, l.mode
        FROM pg_catalog.pg_locks AS l JOIN pg_catalog.pg_class AS c ON c.oid = l.relation
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.relation >= 16384
        """

    // MARK: - The block's functions

    private var beginFunction: String { schema.table("step_begin") }
    private var appliedFunction: String { schema.table("step_applied") }
    private var locksFunction: String { schema.table("step_locks") }

    /// Installs (or replaces) the functions a step's block calls, in one round trip: `step_begin(backend)` checks the
    /// server session and returns the watermark, `step_applied(…, watermark)` writes the step's ledger row with its
    /// locks. They are PL/pgSQL, whose plans the session keeps, so a step pays for planning its own statements only,
    /// not the ledger's. Run it after the ledger exists.
    var installStatement: String {
        let row = Ledger(schema: schema).appliedRowStatement(Ledger.AppliedRow(
            id: "step_id", position: "step_position", name: "step_name", checksum: "step_checksum", robotVersion: "robot_version",
            durationMilliseconds: "(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::integer",
            locks: "\(locksFunction)(watermark)"
        ))
        return """
            DO $robot_install$
            BEGIN
                CREATE OR REPLACE FUNCTION \(locksFunction)(watermark oid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $robot_function$
                BEGIN
                    RETURN (\(locksQuery(watermark: "watermark")));
                END
                $robot_function$;
                CREATE OR REPLACE FUNCTION \(beginFunction)(backend integer) RETURNS oid LANGUAGE plpgsql AS $robot_function$
                BEGIN
                    IF backend IS NOT NULL AND pg_catalog.pg_backend_pid() <> backend THEN
                        RAISE EXCEPTION USING ERRCODE = '\(StepExecutor.anotherSessionState)',
                            MESSAGE = 'the step runs on another server session than the one holding the robot''s lock';
                    END IF;
                    RETURN \(Self.watermarkExpression);
                END
                $robot_function$;
                CREATE OR REPLACE FUNCTION \(appliedFunction)(step_id text, step_position integer, step_name text, step_checksum text,
                                                              robot_version text, watermark oid) RETURNS void LANGUAGE plpgsql AS $robot_function$
                BEGIN
                    \(row);
                END
                $robot_function$;
                -- Earlier releases' blocks read the watermark through this one; step_begin does now.
                DROP FUNCTION IF EXISTS \(schema.table("relation_watermark"))();
            END
            $robot_install$
            """
    }

    /// Installs the functions, inside the ledger's creation (its transaction, under the robots' lock). On a database
    /// without PL/pgSQL, or where the robot may not use it, there is nothing to install: steps then run statement by
    /// statement and send the queries themselves.
    func install(on session: DatabaseSession) async throws(DatabaseError) {
        let usable = try await session.execute("""
            SELECT CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_language WHERE lanname = 'plpgsql')
                        THEN pg_catalog.has_language_privilege('plpgsql', 'USAGE') ELSE false END AS usable
            """).first?.bool("usable")
        guard usable == true else { return }
        try await session.execute(installStatement)
    }

    /// The frame of `step`'s block: the watermark read before the first statement (after checking that the block runs
    /// on server session `backend`, when given), and the ledger row written with the locks after the last.
    func blockFrame(for step: CatalogueStep, onlyOnBackend backend: Int?) -> StepBlock.Frame {
        let values = [step.id.sqlLiteral, "\(step.position)", step.name.sqlLiteral, step.checksum.sqlLiteral, Robot.version.sqlLiteral,
                      Self.watermarkVariable]
        return StepBlock.Frame(
            declarations: ["\(Self.watermarkVariable) oid;"],
            opening: ["\(Self.watermarkVariable) := \(beginFunction)(\(backend.map(String.init) ?? "NULL"));"],
            closing: ["PERFORM \(appliedFunction)(\(values.joined(separator: ", ")));"]
        )
    }

    // MARK: - Statement by statement

    /// Reads the watermark: before a step run statement by statement.
    func watermark(on session: DatabaseSession) async throws(DatabaseError) -> String {
        let rows = try await session.execute("SELECT (\(Self.watermarkExpression))::text AS watermark")
        return rows.first?.string("watermark") ?? "0"
    }

    /// The ledger row's `locks` for a transactional step run statement by statement.
    func locksValue(watermark: String) -> String {
        "(\(locksQuery(watermark: "\(watermark.sqlLiteral)::oid")))"
    }

    /// The ledger row's `locks` for a step without a transaction.
    func rewritesValue(watermark: String) -> String {
        "(\(rewritesQuery(watermark: "\(watermark.sqlLiteral)::oid")))"
    }
}
