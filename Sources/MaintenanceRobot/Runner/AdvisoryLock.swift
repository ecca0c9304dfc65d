import Logging

/// The advisory lock that serialises robots working on one database and ledger schema.
///
/// Advisory locks are per database, and the key is derived from the ledger schema, so two
/// schemas of one database do not block each other and two databases never share a lock.
///
/// On a direct connection a run holds it on its session from before its second ledger read to its end
/// (``Scope/session``). Behind a transaction pooler nothing that lives in a session can be relied on, so each
/// transaction that writes takes it for itself and holds it until it ends (``Scope/transaction``).
struct AdvisoryLock: Sendable {
    /// A positive 63-bit key from the ledger schema name (``LedgerSchema/advisoryLockKey``).
    let key: Int

    init(schema: LedgerSchema) {
        key = schema.advisoryLockKey
    }

    /// How long the lock is held once taken.
    enum Scope {
        /// Until ``release(_:logger:)`` or the end of the session (`pg_try_advisory_lock`).
        case session
        /// Until the current transaction ends (`pg_try_advisory_xact_lock`); take it inside `BEGIN` … `COMMIT`.
        case transaction
    }

    /// The lock, once taken.
    struct Held: Sendable {
        /// How long it waited, or `nil` when the lock was free.
        let waited: Duration?
        /// The server process that holds it (`pg_backend_pid()`).
        let backend: Int
    }

    /// Takes the lock, waiting up to `bound` while another robot holds it, and says that it waits.
    /// - Throws: ``RobotError/lockNotObtained(_:waitedSeconds:holder:)`` when `bound` passed,
    ///   ``RobotError/cancelled(_:)`` when the task was cancelled (the lock is not held), and
    ///   ``RobotError/transactionPooler(step:)`` when, for a session lock, the server session already held it: a
    ///   pooler handed this robot a server connection another client locked.
    func acquire(_ session: DatabaseSession, scope: Scope, within bound: Duration, logger: Logger) async throws(RobotError) -> Held {
        let attempt: Attempt
        do {
            attempt = try await take(session, scope: scope, within: bound, logger: logger)
        } catch {
            throw error.isConnectionLost ? .connectionLost(error, step: nil) : .ledger(operation: "take the robot's advisory lock", error)
        }
        switch attempt {
        case .taken(let waited, let backend): return Held(waited: waited, backend: backend)
        case .timedOut(let waited, let holder): throw .lockNotObtained(.robots, waitedSeconds: waited.seconds, holder: holder)
        case .cancelled: throw .cancelled(nil)
        case .heldByThisSessionAlready: throw .transactionPooler(step: nil)
        }
    }

    private enum Attempt {
        case taken(waited: Duration?, backend: Int)
        case timedOut(Duration, holder: String?)
        /// The waiting task was cancelled; the lock is not held.
        case cancelled
        /// A session lock this session held before the robot asked for it.
        case heldByThisSessionAlready
    }

    /// What one try found.
    private enum Try {
        case taken(backend: Int)
        case busy
        case heldAlready
    }

    /// Polls with `pg_try_advisory_lock` rather than blocking in `pg_advisory_lock`: a waiter that sits in
    /// a statement holds a snapshot, and a `CREATE INDEX CONCURRENTLY` in the holder's run waits for every
    /// such snapshot — a deadlock. Between tries this session holds nothing.
    private func take(_ session: DatabaseSession, scope: Scope, within bound: Duration, logger: Logger) async throws(DatabaseError) -> Attempt {
        switch try await tryLock(session, scope: scope) {
        case .taken(let backend): return .taken(waited: nil, backend: backend)
        case .heldAlready: return .heldByThisSessionAlready
        case .busy: break
        }
        guard !Task.isCancelled else { return .cancelled }
        let holder = try await holderDescription(session)
        logger.notice("waiting for another robot to finish", metadata: [
            "robot.lock_holder": "\(holder ?? "unknown")", "robot.wait_bound_s": "\(bound.components.seconds)",
        ])
        let clock = ContinuousClock()
        let started = clock.now
        var delay = Duration.milliseconds(20)
        var nextReport = started + .seconds(10)
        while clock.now - started < bound {
            do {
                try await Task.sleep(for: min(delay, bound - (clock.now - started)))
            } catch {
                return .cancelled
            }
            switch try await tryLock(session, scope: scope) {
            case .taken(let backend): return .taken(waited: clock.now - started, backend: backend)
            case .heldAlready: return .heldByThisSessionAlready
            case .busy: break
            }
            delay = min(delay * 2, .milliseconds(500))
            if clock.now >= nextReport {
                logger.notice("still waiting for another robot to finish", metadata: [
                    "robot.waited_s": "\((clock.now - started).components.seconds)",
                ])
                nextReport = clock.now + .seconds(10)
            }
        }
        return .timedOut(clock.now - started, holder: try await holderDescription(session) ?? holder)
    }

    /// One try. A session lock this very server session holds already is not taken again (PostgreSQL would count it
    /// twice and say yes): that is a pooler at work, handing over a server session another client locked.
    private func tryLock(_ session: DatabaseSession, scope: Scope) async throws(DatabaseError) -> Try {
        let row = switch scope {
        case .session:
            try await session.execute("""
                SELECT held, CASE WHEN held THEN false ELSE pg_try_advisory_lock($1) END AS taken, pg_backend_pid() AS backend
                FROM (SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objsubid = 1
                                     AND ((classid::bigint << 32) | objid::bigint) = $1) AS held) AS before
                """, [.integer(key)]).first
        case .transaction:
            try await session.execute("SELECT false AS held, pg_try_advisory_xact_lock($1) AS taken, pg_backend_pid() AS backend",
                                      [.integer(key)]).first
        }
        if row?.bool("held") == true { return .heldAlready }
        guard row?.bool("taken") == true, let backend = row?.int("backend") else { return .busy }
        return .taken(backend: backend)
    }

    /// Releases a session lock. A lost connection released it already. When this server session does not hold it, a
    /// pooler moved the robot to another server connection: the lock stays where it was taken until that one closes.
    func release(_ session: DatabaseSession, logger: Logger) async {
        do {
            let released = try await session.execute("SELECT pg_advisory_unlock($1) AS released", [.integer(key)]).first?.bool("released")
            _ = session.takeNotices()  // "you don't own a lock of type ExclusiveLock", said below in the robot's words
            if released != true {
                logger.warning("""
                    the robot's advisory lock was not held by this server session, so it could not be released: a connection pooler \
                    in transaction mode is between the robot and PostgreSQL, and the lock stays until that server connection closes. \
                    Run the robot in its transaction pooler mode
                    """)
            }
        } catch {
            logger.warning("could not release the advisory lock; it goes with the connection", metadata: ["robot.error": "\(error)"])
        }
    }

    private func holderDescription(_ session: DatabaseSession) async throws(DatabaseError) -> String? {
        try await LockOwner.find(.advisory(key: key), on: session)?.description
    }
}

/// The session that holds a lock a run waits for, as the log and ``RobotError/lockNotObtained(_:waitedSeconds:holder:)``
/// name it: `pid 4711 (billing-api, user app, from 10.0.0.7), in a transaction since 2026-12-01 10:15:02+00, idle in
/// transaction: LOCK TABLE …`.
struct LockOwner: Sendable {
    /// The locked table, schema-qualified; `nil` for an advisory lock.
    let table: String?
    let description: String

    /// What to look for.
    enum Lock {
        /// A session advisory lock with a 63-bit key.
        case advisory(key: Int)
        /// Any table of a ledger schema, locked in a mode that blocks the robot's reads or writes (SHARE or stronger:
        /// readers and writers of the ledger do not block it).
        case ledgerTables(LedgerSchema)
    }

    /// The session other than this one that holds `lock` (of a ledger's tables, the strongest lock), or `nil`.
    static func find(_ lock: Lock, on session: DatabaseSession) async throws(DatabaseError) -> LockOwner? {
        let (filter, bind): (String, SQLValue) = switch lock {
        case .advisory(let key):
            ("l.locktype = 'advisory' AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = $1", .integer(key))
        case .ledgerTables(let schema):
            ("""
             l.locktype = 'relation' AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')
               AND l.relation IN (SELECT c.oid FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
                                  WHERE n.nspname = $1 AND c.relkind IN ('r', 'p'))
             """, .text(schema.name))
        }
        let rows = try await session.execute("""
            SELECT a.pid::text AS pid, coalesce(nullif(a.application_name, ''), 'unnamed') AS application,
                   coalesce(a.usename::text, 'unknown') AS username, coalesce(host(a.client_addr), 'local socket') AS client,
                   CASE WHEN a.xact_start IS NULL THEN 'connected' ELSE 'in a transaction' END AS phase,
                   date_trunc('second', coalesce(a.xact_start, a.backend_start))::text AS since,
                   coalesce(a.state, 'state unknown') AS state,
                   -- The holder's statement up to its first literal: a literal may be a secret (PASSWORD '…').
                   left(regexp_replace(regexp_replace(coalesce(a.query, ''), '[''$].*$', '…'), '[[:space:]]+', ' ', 'g'), 160) AS query,
                   (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
                    WHERE c.oid = l.relation) AS locked_table
            FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
            WHERE l.granted AND l.pid <> pg_backend_pid()
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND \(filter)
            ORDER BY array_position(ARRAY['AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock'], l.mode), l.pid
            LIMIT 1
            """, [bind])
        return rows.first.map { row in
            let field = { (name: String) in row.string(name) ?? "?" }
            return LockOwner(
                table: row.string("locked_table"),
                description: "pid \(field("pid")) (\(field("application")), user \(field("username")), from \(field("client"))), "
                    + "\(field("phase")) since \(field("since")), \(field("state")): \(field("query"))"
            )
        }
    }
}
