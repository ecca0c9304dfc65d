/// The session's `lock_timeout` and `statement_timeout`. Set at session level (inside a step's
/// transaction it commits or rolls back with the step), so they hold for every later step.
enum SessionTimeouts {
    static func set(lock: Duration, statement: Duration, on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute(setting(lock: lock, statement: statement))
    }

    /// The statement that sets both timeouts for the rest of the session.
    static func setting(lock: Duration, statement: Duration) -> String {
        "SELECT set_config('lock_timeout', '\(max(1, lock.milliseconds))ms', false), "
            + "set_config('statement_timeout', '\(max(1, statement.milliseconds))ms', false)"
    }
}

/// When step commits wait for the disk.
///
/// During a run the steps commit without waiting for their WAL to reach the disk
/// (`synchronous_commit = off`); the run's final ledger write then commits with the server's
/// setting again, and a commit that waits flushes the WAL up to itself, so every step before it is
/// durable before the run reports. A server crash in between loses only a tail of steps together
/// with their ledger rows, atomically, and the next boot applies them again.
enum CommitFlush {
    static func postpone(on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("SELECT set_config('synchronous_commit', 'off', false)")
    }

    static func restore(on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("RESET synchronous_commit")
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
