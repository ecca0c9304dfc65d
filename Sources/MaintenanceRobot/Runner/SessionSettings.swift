/// The session's `lock_timeout` and `statement_timeout`. Set at session level (inside a step's
/// transaction it commits or rolls back with the step), so they hold for every later step.
enum SessionTimeouts {
    static func set(lock: Duration, statement: Duration, on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("SELECT " + setting(lock: lock, statement: statement))
    }

    /// The expressions that set both timeouts for the rest of the session.
    static func setting(lock: Duration, statement: Duration) -> String {
        "set_config('lock_timeout', '\(max(1, lock.milliseconds))ms', false), "
            + "set_config('statement_timeout', '\(max(1, statement.milliseconds))ms', false)"
    }
}

/// The settings a run starts its session with, in one statement: the step timeouts, commits that do not wait
/// for the disk (see ``CommitFlush``), and dead-client detection so a killed robot's backend stops within a
/// second instead of finishing a long statement (PostgreSQL 14 and later; older servers just notice later).
enum RunSessionSettings {
    static func apply(lock: Duration, statement: Duration, on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("""
            SELECT \(SessionTimeouts.setting(lock: lock, statement: statement)), set_config('synchronous_commit', 'off', false),
                   (SELECT set_config('client_connection_check_interval', '1000', false)
                    WHERE current_setting('server_version_num')::integer >= 140000)
            """)
    }
}

/// When step commits wait for the disk.
///
/// A run's session starts with `synchronous_commit = off` (``RunSessionSettings``): its steps commit
/// without waiting for their WAL to reach the disk. Before the run's final ledger write, ``restore`` puts
/// back the server's setting, and a commit that waits flushes the WAL up to itself, so every step before it
/// is durable before the run reports. A server crash in between loses only a tail of steps together with
/// their ledger rows, atomically, and the next boot applies them again. A run with nothing to do records
/// itself without waiting: losing that row loses nothing.
enum CommitFlush {
    static func restore(on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("RESET synchronous_commit")
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { self / .seconds(1) }
}
