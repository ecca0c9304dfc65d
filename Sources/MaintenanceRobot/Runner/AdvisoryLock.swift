import Logging

/// A session advisory lock that serialises robots working on one database and ledger schema.
///
/// Advisory locks are per database, and the key is derived from the ledger schema, so two
/// schemas of one database do not block each other and two databases never share a lock.
struct AdvisoryLock: Sendable {
    /// A positive 63-bit key from the ledger schema name (``LedgerSchema/advisoryLockKey``).
    let key: Int

    init(schema: LedgerSchema) {
        key = schema.advisoryLockKey
    }

    /// Takes the lock, waiting up to `bound` while another robot holds it, and says that it waits.
    /// - Returns: how long it waited, or `nil` when the lock was free.
    func acquire(_ session: DatabaseSession, within bound: Duration, logger: Logger) async throws(RobotError) -> Duration? {
        let attempt: Attempt
        do {
            attempt = try await take(session, within: bound, logger: logger)
        } catch {
            throw error.isConnectionLost ? .connectionLost(error, step: nil) : .ledger(operation: "take the robot's advisory lock", error)
        }
        switch attempt {
        case .free: return nil
        case .waited(let waited): return waited
        case .timedOut(let waited, let holder): throw .lockNotObtained(waitedSeconds: waited.seconds, holder: holder)
        case .cancelled: throw .cancelled(nil)
        }
    }

    private enum Attempt {
        case free
        case waited(Duration)
        case timedOut(Duration, holder: String?)
        /// The waiting task was cancelled; the lock is not held.
        case cancelled
    }

    /// Polls with `pg_try_advisory_lock` rather than blocking in `pg_advisory_lock`: a waiter that sits in
    /// a statement holds a snapshot, and a `CREATE INDEX CONCURRENTLY` in the holder's run waits for every
    /// such snapshot — a deadlock. Between tries this session holds nothing.
    private func take(_ session: DatabaseSession, within bound: Duration, logger: Logger) async throws(DatabaseError) -> Attempt {
        guard try await tryLock(session) == false else { return .free }
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
            if try await tryLock(session) { return .waited(clock.now - started) }
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

    private func tryLock(_ session: DatabaseSession) async throws(DatabaseError) -> Bool {
        try await session.execute("SELECT pg_try_advisory_lock($1) AS taken", [.integer(key)]).first?.bool("taken") == true
    }

    /// Releases the lock. A lost connection released it already.
    func release(_ session: DatabaseSession, logger: Logger) async {
        do {
            try await session.execute("SELECT pg_advisory_unlock($1)", [.integer(key)])
        } catch {
            logger.warning("could not release the advisory lock; it goes with the connection", metadata: ["robot.error": "\(error)"])
        }
    }

    private func holderDescription(_ session: DatabaseSession) async throws(DatabaseError) -> String? {
        let rows = try await session.execute("""
            SELECT a.pid::text AS pid, coalesce(nullif(a.application_name, ''), 'unnamed') AS application,
                   coalesce(host(a.client_addr), 'local socket') AS client
            FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((l.classid::bigint << 32) | l.objid::bigint) = $1
            """, [.integer(key)])
        return rows.first.map { "pid \($0.string("pid") ?? "?"), \($0.string("application") ?? "?") from \($0.string("client") ?? "?")" }
    }
}
