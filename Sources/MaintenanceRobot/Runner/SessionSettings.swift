/// The settings a run works under: the step timeouts, commits that do not wait for the disk (see ``CommitFlush``),
/// and dead-client detection so a killed robot's backend stops within a second instead of finishing a long statement
/// (PostgreSQL 14 and later; older servers just notice later).
///
/// On a direct connection they are set once on the session (``apply(on:)``); behind a transaction pooler, where a
/// session setting stays on whichever server connection ran it, each transaction sets them for itself
/// (``statement(scope:)`` with `.transaction`, see ``PooledTransaction``).
struct RunSessionSettings: Sendable {
    let lockTimeout: Duration
    let statementTimeout: Duration

    init(_ configuration: RobotConfiguration) {
        lockTimeout = configuration.stepLockTimeout
        statementTimeout = configuration.statementTimeout
    }

    /// How long a setting holds.
    enum Scope {
        /// For the rest of the session.
        case session
        /// Until the transaction ends (`SET LOCAL`).
        case transaction
        /// Until the transaction ends, and its commit waits for the disk: the run's last ledger write.
        case flushingTransaction
    }

    /// One statement that sets them all.
    func statement(scope: Scope) -> String {
        let local = scope == .session ? "false" : "true"
        let synchronousCommit = scope == .flushingTransaction ? "" : "set_config('synchronous_commit', 'off', \(local)),"
        return """
            SELECT set_config('lock_timeout', '\(max(1, lockTimeout.milliseconds))ms', \(local)),
                   set_config('statement_timeout', '\(max(1, statementTimeout.milliseconds))ms', \(local)),
                   \(synchronousCommit)
                   (SELECT set_config('client_connection_check_interval', '1000', \(local))
                    WHERE current_setting('server_version_num')::integer >= 140000)
            """
    }

    /// Sets up a run's session: on a direct connection the settings hold for the whole session; behind a transaction
    /// pooler nothing is set on it, and each transaction sets them for itself (``RunTransaction``).
    static func setUp(_ session: DatabaseSession, for configuration: RobotConfiguration) async throws(RobotError) {
        guard configuration.pooler == .none else { return }
        do {
            try await RunSessionSettings(configuration).apply(on: session)
        } catch {
            throw error.isConnectionLost ? .connectionLost(error, step: nil) : .ledger(operation: "set the session's timeouts", error)
        }
    }

    /// Sets them on the session.
    func apply(on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute(statement(scope: .session))
    }

    /// Puts the session back as the run set it up, after a step that changed it (``CatalogueStep/changesSession``),
    /// so that every step starts from the same session whatever ran before it in the run: otherwise a
    /// `SET search_path` in step 2 would put step 3's tables elsewhere on a fresh install than on a database that
    /// ran step 3 in a later boot. `RESET ALL` returns every setting to the value the session started with (the
    /// server's, the database's, the role's, the connection's options) but keeps the role, so the session's own
    /// user comes back first. Steps that change nothing cost nothing.
    func restore(on session: DatabaseSession) async throws(DatabaseError) {
        // First, so that a step's tiny statement_timeout cannot cut the next two short.
        try await session.execute("RESET ALL")
        try await session.execute("SET SESSION AUTHORIZATION DEFAULT")
        try await apply(on: session)
    }

    /// The same as ``restore(on:)``, as statements that run inside the step's own transaction, before its commit:
    /// behind a transaction pooler the server session is not the robot's once the transaction ends, so the step
    /// must leave it as it found it. `SET SESSION AUTHORIZATION` and `RESET ALL` inside a transaction take effect for
    /// the session when it commits.
    var restoringStatements: [String] {
        ["SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", statement(scope: .transaction)]
    }
}

/// When step commits wait for the disk.
///
/// A run's steps commit with `synchronous_commit = off` (``RunSessionSettings``): without waiting for their WAL to
/// reach the disk. The run's final ledger write commits with the server's setting, and a commit that waits flushes
/// the WAL up to itself, so every step before it is durable before the run reports. A server crash in between
/// loses only a tail of steps together with their ledger rows, atomically, and the next boot applies them again. A
/// run with nothing to do records itself without waiting: losing that row loses nothing.
enum CommitFlush {
    /// Puts back the server's setting on a session the run set up (on a direct connection).
    static func restore(on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("RESET synchronous_commit")
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { self / .seconds(1) }
}
